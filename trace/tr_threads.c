/* SPDX-License-Identifier: Apache-2.0 */
/* Per-thread state, keyed by tid, created at a thread's first watched call.
 * Dropped when its process is reaped (tr_exits.c watches the processes it
 * knows) or replaced by an exec.  A thread ending alone is not seen: its
 * state stays until its process ends, and a tid reused meanwhile by
 * another process inherits only a view check (tr_predict.c), which any
 * change of credentials, root or namespace redoes anyway, and identity
 * (tgid, ppid) is read again before every record. */
#include <stdlib.h>
#include <string.h>

#include "tr.h"

#define TH_BUCKETS 1024u

#define TH_LIVE_MAX 65536u /* then forget all (a process's threads that
                            * ended are only forgotten with the process) */

static struct tr_task *th_tab[TH_BUCKETS];
static uint64_t th_created;
static unsigned th_live;

static struct tr_task **th_slot(pid_t tid)
{
	return &th_tab[(uint32_t)tid % TH_BUCKETS];
}

static void th_ids(struct tr_task *t)
{
	char status[2048];

	if (tr_proc_read(t->tid, "status", status, sizeof(status)) > 0) {
		t->tgid = (pid_t)tr_status_field(status, "Tgid:", t->tid);
		t->ppid = (pid_t)tr_status_field(status, "PPid:", 0);
		t->ids_fresh = 1;
	}
}

struct tr_task *tr_task_find(pid_t tid)
{
	for (struct tr_task *t = *th_slot(tid); t; t = t->next) {
		if (t->tid == tid) {
			return t;
		}
	}
	return NULL;
}

struct tr_task *tr_task_get(pid_t tid)
{
	struct tr_task *t = tr_task_find(tid);

	if (t) {
		return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	th_live++;
	t->tid = tid;
	t->tgid = tid;
	th_ids(t);
	t->next = *th_slot(tid);
	*th_slot(tid) = t;
	th_created++;
	return t;
}

/* Free every task not being followed, of process tgid (0: of any). */
static void th_drop_idle(pid_t tgid)
{
	for (unsigned b = 0; b < TH_BUCKETS; b++) {
		for (struct tr_task **p = &th_tab[b]; *p;) {
			if (!(*p)->follow && (!tgid || (*p)->tgid == tgid)) {
				struct tr_task *dead = *p;

				*p = dead->next;
				free(dead);
				th_live--;
			} else {
				p = &(*p)->next;
			}
		}
	}
}

void tr_task_trim(void)
{
	if (th_live >= TH_LIVE_MAX) {
		th_drop_idle(0);
	}
}

void tr_task_refresh(struct tr_task *t)
{
	th_ids(t);
}

void tr_task_drop_process(pid_t tgid)
{
	if (tgid > 0) {
		th_drop_idle(tgid);
	}
}

void tr_task_drop(pid_t tid)
{
	for (struct tr_task **p = th_slot(tid); *p; p = &(*p)->next) {
		if ((*p)->tid == tid) {
			struct tr_task *dead = *p;

			*p = dead->next;
			free(dead);
			th_live--;
			return;
		}
	}
}

uint64_t tr_task_count(void)
{
	return th_created;
}
