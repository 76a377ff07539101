// SPDX-License-Identifier: GPL-2.0
/* Cgroup trees, ids and paths; see cgroup.h. */
#define _GNU_SOURCE /* nftw's FTW_ACTIONRETVAL */
#include <errno.h>
#include <ftw.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cgroup.h"

struct cgroup_name {
	uint64_t id;
	char *path; /* NULL: looked for and not found */
};

static bool has_option(const struct mntent *m, const char *opt)
{
	return hasmntopt(m, opt) != NULL;
}

/* The v1 memory mount, the cgroup2 mount, and the one holding path. */
static void scan_mounts(struct dr_cgroup_tree *v1, struct dr_cgroup_tree *v2,
			struct dr_cgroup_tree *in, const char *path,
			size_t *in_len)
{
	FILE *f = setmntent("/proc/mounts", "re");
	struct mntent *m;
	size_t n;

	while (f && (m = getmntent(f))) {
		bool is_v2 = !strcmp(m->mnt_type, "cgroup2");
		bool is_mem = !strcmp(m->mnt_type, "cgroup") &&
			      has_option(m, "memory");
		struct dr_cgroup_tree *t = is_v2 ? v2 : is_mem ? v1 : NULL;

		if (!t || strlen(m->mnt_dir) >= sizeof(t->mount))
			continue;
		if (!t->mount[0]) {
			strcpy(t->mount, m->mnt_dir);
			t->v1 = is_mem;
		}
		n = strlen(m->mnt_dir);
		if (path && !strncmp(path, m->mnt_dir, n) &&
		    (path[n] == '/' || !path[n]) && n > *in_len) {
			strcpy(in->mount, m->mnt_dir);
			in->v1 = is_mem;
			*in_len = n;
		}
	}
	if (f)
		endmntent(f);
}

int cgroup_tree_find(struct dr_cgroup_tree *t, const char *path, char *rel,
		     size_t rel_len, char *why, size_t why_len)
{
	struct dr_cgroup_tree v1 = { 0 }, v2 = { 0 }, in = { 0 };
	const char *r = path;
	size_t in_len = 0;

	scan_mounts(&v1, &v2, &in, path, &in_len);
	if (in_len) {
		*t = in;
		r = path + in_len;
	} else if (v1.mount[0]) {
		*t = v1;
	} else if (v2.mount[0]) {
		*t = v2;
	} else {
		snprintf(
			why, why_len,
			"no cgroup2 or cgroup v1 memory mount in /proc/mounts");
		return -1;
	}
	if (path) {
		snprintf(rel, rel_len, "%s%s", *r == '/' ? "" : "/", r);
		/* "/a/b/" names the same cgroup as "/a/b" */
		while (strlen(rel) > 1 && rel[strlen(rel) - 1] == '/')
			rel[strlen(rel) - 1] = '\0';
	}
	return 0;
}

int cgroup_id_of(const struct dr_cgroup_tree *t, const char *rel, uint64_t *id)
{
	char path[2 * DR_CGROUP_PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", t->mount, rel);
	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*id = st.st_ino;
	return 0;
}

/* "N:memory,...:/path" (v1) or "0::/path" (v2): the path, or NULL. */
static char *tree_line(const struct dr_cgroup_tree *t, char *line)
{
	char *ctrl = strchr(line, ':'), *path, *c;

	if (!ctrl)
		return NULL;
	path = strchr(++ctrl, ':');
	if (!path)
		return NULL;
	*path++ = '\0';
	path[strcspn(path, "\n")] = '\0';
	if (!t->v1)
		return !strcmp(line, "0:") || !*ctrl ? path : NULL;
	for (c = strtok(ctrl, ","); c; c = strtok(NULL, ","))
		if (!strcmp(c, "memory"))
			return path;
	return NULL;
}

int cgroup_of_task(const struct dr_cgroup_tree *t, uint32_t tid, uint64_t *id,
		   char *rel, size_t rel_len)
{
	char file[40], line[DR_CGROUP_PATH_MAX + 64], *path = NULL;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/cgroup", tid);
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (!path && fgets(line, sizeof(line), f))
		path = tree_line(t, line);
	fclose(f);
	if (!path)
		return -ENOENT;
	snprintf(rel, rel_len, "%s", path);
	return cgroup_id_of(t, rel, id);
}

bool cgroup_path_under(const char *rel, const char *ancestor)
{
	size_t n = strlen(ancestor);

	if (!strcmp(ancestor, "/"))
		return true;
	return !strncmp(rel, ancestor, n) && (rel[n] == '/' || !rel[n]);
}

void cgroup_names_init(struct dr_cgroup_names *n,
		       const struct dr_cgroup_tree *tree)
{
	*n = (struct dr_cgroup_names){ .tree = tree };
}

static void forget_names(struct dr_cgroup_names *n)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		free(n->names[i].path);
	n->nr = 0;
}

void cgroup_names_free(struct dr_cgroup_names *n)
{
	forget_names(n);
	free(n->names);
	n->names = NULL;
	n->nr = n->cap = 0;
}

static struct cgroup_name *find(struct dr_cgroup_names *n, uint64_t id)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (n->names[i].id == id)
			return &n->names[i];
	return NULL;
}

static int set_name(struct dr_cgroup_names *n, uint64_t id, const char *rel)
{
	struct cgroup_name *c = find(n, id), *names;
	char *copy = rel ? strdup(rel) : NULL;

	if (rel && !copy)
		return -ENOMEM;
	if (!c) {
		if (n->nr == CGROUP_NAMES_MAX)
			forget_names(n);
		if (n->nr == n->cap) {
			n->cap = n->cap ? 2 * n->cap : 16;
			names = realloc(n->names, n->cap * sizeof(*names));
			if (!names) {
				free(copy);
				return -ENOMEM;
			}
			n->names = names;
		}
		c = &n->names[n->nr++];
		c->id = id;
		c->path = NULL;
	}
	free(c->path);
	c->path = copy;
	return 0;
}

/* nftw has no context argument: the walk in progress. */
static struct {
	uint64_t id;
	size_t skip;
	char path[DR_CGROUP_PATH_MAX];
} walk;

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_D || st->st_ino != walk.id)
		return FTW_CONTINUE;
	snprintf(walk.path, sizeof(walk.path), "%s",
		 path[walk.skip] ? path + walk.skip : "/");
	return FTW_STOP;
}

const char *cgroup_names_get(struct dr_cgroup_names *n, uint64_t id)
{
	struct cgroup_name *c = find(n, id);

	if (c)
		return c->path;
	walk.id = id;
	walk.skip = strlen(n->tree->mount);
	walk.path[0] = '\0';
	nftw(n->tree->mount, visit, 16,
	     FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL);
	if (set_name(n, id, walk.path[0] ? walk.path : NULL))
		return NULL;
	return find(n, id)->path;
}
