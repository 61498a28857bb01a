/* SPDX-License-Identifier: Apache-2.0 */
/* Per-thread state, keyed by tid.  Created lazily: an auto-attached child
 * may stop before its parent's fork event arrives.  Dropped exactly when
 * the tid is reaped or replaced by an exec, so a reused tid starts fresh. */
#include <stdlib.h>
#include <string.h>

#include "tr.h"

#define TH_BUCKETS 1024u

static struct tr_task *th_tab[TH_BUCKETS];
static uint64_t th_created;

static struct tr_task **th_slot(pid_t tid)
{
	return &th_tab[(uint32_t)tid % TH_BUCKETS];
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
	char status[2048];

	if (t) {
		return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	t->tid = tid;
	t->tgid = tid;
	if (tr_proc_read(tid, "status", status, sizeof(status)) > 0) {
		t->tgid = (pid_t)tr_status_field(status, "Tgid:", tid);
		t->ppid = (pid_t)tr_status_field(status, "PPid:", 0);
	}
	t->next = *th_slot(tid);
	*th_slot(tid) = t;
	th_created++;
	return t;
}

void tr_task_drop(pid_t tid)
{
	for (struct tr_task **p = th_slot(tid); *p; p = &(*p)->next) {
		if ((*p)->tid == tid) {
			struct tr_task *dead = *p;

			*p = dead->next;
			free(dead);
			return;
		}
	}
}

uint64_t tr_task_count(void)
{
	return th_created;
}
