/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_CGROUP_H
#define DRSNOOP_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DR_CGROUP_PATH_MAX 256

/*
 * The cgroup hierarchy drsnoop reports a task's cgroup in: the one that
 * holds the memory controller (a cgroup v1 "memory" mount where there is
 * one, else the cgroup2 mount), or the one --cgroup's absolute path lies
 * in. A cgroup is known by its id, the kernfs node id the kernel uses,
 * which is the inode number of its directory; it is shown as its path
 * relative to the mount ("/" for the root).
 */
struct dr_cgroup_tree {
	char mount[DR_CGROUP_PATH_MAX];
	bool v1; /* the v1 memory controller's hierarchy */
};

/*
 * Find the tree. path, when not NULL, is --cgroup's PATH: absolute under
 * a cgroup mount, it chooses that mount's tree and becomes relative (rel);
 * else it is taken relative to the memory controller's tree. Returns 0 or
 * -1 with a reason in why.
 */
int cgroup_tree_find(struct dr_cgroup_tree *t, const char *path, char *rel,
		     size_t rel_len, char *why, size_t why_len);

/* The id of the cgroup at rel in t. Returns 0 or -errno. */
int cgroup_id_of(const struct dr_cgroup_tree *t, const char *rel, uint64_t *id);

/* Task tid's cgroup in t, from /proc: its id and path. Returns 0 or -errno. */
int cgroup_of_task(const struct dr_cgroup_tree *t, uint32_t tid, uint64_t *id,
		   char *rel, size_t rel_len);

/* Whether path rel is ancestor or equal to path of. */
bool cgroup_path_under(const char *rel, const char *ancestor);

/*
 * Id-to-path names, found by walking the tree for an id not met before.
 * Forgotten all at once when CGROUP_NAMES_MAX are held: a host whose
 * containers come and go for weeks would make the list grow without end,
 * and a name forgotten costs only another walk.
 */
#define CGROUP_NAMES_MAX 1024
struct cgroup_name;

struct dr_cgroup_names {
	const struct dr_cgroup_tree *tree;
	struct cgroup_name *names;
	size_t nr;
	size_t cap;
};

void cgroup_names_init(struct dr_cgroup_names *n,
		       const struct dr_cgroup_tree *tree);
void cgroup_names_free(struct dr_cgroup_names *n);

/*
 * The path of id, or NULL when no cgroup of the tree has it (now); valid
 * until the next call.
 */
const char *cgroup_names_get(struct dr_cgroup_names *n, uint64_t id);

#endif /* DRSNOOP_CGROUP_H */
