// SPDX-License-Identifier: BSD-2-Clause
/* tr_run.c - see tr_run.h. */
#include <string.h>

#include "tr_pace.h"
#include "tr_run.h"

/* Frames to send now, 0 = wait until *wake (paced) or stop (duration). */
static uint64_t frames_now(const struct tr_run_params *p, const struct tr_run_result *r,
			   uint64_t now, uint64_t end, uint64_t *wake)
{
	uint64_t n = p->burst, due, cap;

	if (p->rate > 0) {
		due = tr_pace_due(r->t0, now, p->rate);
		if (due <= r->sent) {
			*wake = tr_pace_deadline(r->t0, r->sent, p->rate);
			return 0;
		}
		cap = p->burst > TR_PACE_CATCHUP ? p->burst : TR_PACE_CATCHUP;
		n = due - r->sent;
		if (n < p->burst)
			n = p->burst;      /* the whole burst once its first frame is due */
		if (n > cap)
			n = cap;           /* late: catch up, but in bounded bursts */
		if (end) {
			/* only frames whose slots begin before the end */
			uint64_t last = tr_pace_due(r->t0, end - 1, p->rate);

			if (last <= r->sent)
				return 0;
			if (n > last - r->sent)
				n = last - r->sent;
		}
	}
	if (p->count && p->count - r->sent < n)
		n = p->count - r->sent;
	return n;
}

int tr_run(const struct tr_run_params *p, const struct tr_run_ops *ops,
	   struct tr_run_result *r)
{
	uint64_t end = 0, now, wake = 0;

	memset(r, 0, sizeof(*r));
	r->t0 = now = ops->now(ops->ctx);
	if (p->duration_ns)
		end = r->t0 + p->duration_ns;
	for (;;) {
		uint64_t n;
		int64_t k;

		if (ops->stop(ops->ctx)) {
			r->interrupted = 1;
			break;
		}
		if ((p->count && r->sent >= p->count) || (end && now >= end))
			break;
		wake = 0;
		n = frames_now(p, r, now, end, &wake);
		if (n == 0) {
			if (!wake)
				wake = end;   /* nothing more fits before the end */
			ops->wait_until(ops->ctx, end && wake > end ? end : wake);
			now = ops->now(ops->ctx);
			continue;
		}
		k = ops->send(ops->ctx, (uint32_t)n);
		if (k < 0) {
			r->t1 = ops->now(ops->ctx);
			return -1;
		}
		r->sent += (uint64_t)k;
		now = ops->now(ops->ctx);
	}
	/* paced: the run lasts until the end of the last frame's slot */
	if (p->rate > 0 && !r->interrupted && r->sent) {
		uint64_t d = tr_pace_deadline(r->t0, r->sent, p->rate);

		if (!end || d <= end)
			ops->wait_until(ops->ctx, d);
	}
	r->t1 = ops->now(ops->ctx);
	return 0;
}
