// SPDX-License-Identifier: GPL-2.0
/*
 * fragment NAME FRAG_MIB THP_MIB [STALLS]: make direct compaction happen,
 * quickly and without reclaim. As a task named NAME (prctl), fault FRAG_MIB of
 * small anonymous pages and give every other one back (MADV_DONTNEED):
 * half of that memory is free again, in single pages all over, with no
 * free 2 MiB block among them. Then fault THP_MIB of MADV_HUGEPAGE
 * memory, one huge page at a time: each fault that finds no free 2 MiB
 * block compacts (the kept pages are movable) before it would reclaim.
 * With STALLS, it stops faulting once /proc/vmstat's compact_stall has
 * risen by that many (under emulation each huge page costs a lot).
 * Prints "pid N", then "done" once the huge pages are in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define PAGE 4096ul
#define HUGE (2ul << 20)

static unsigned long compact_stall(void)
{
	unsigned long n = 0;
	char key[64];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %lu", key, &n) == 2)
		if (!strcmp(key, "compact_stall"))
			break;
	fclose(f);
	return n;
}

static char *map(size_t len, int advice)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("fragment: mmap");
		exit(1);
	}
	if (madvise(p, len, advice))
		perror("fragment: madvise");
	return p;
}

int main(int argc, char **argv)
{
	unsigned long stalls = 0, s0;
	size_t frag, thp, i;
	char *f, *t;

	if (argc != 4 && argc != 5) {
		fprintf(stderr,
			"usage: fragment NAME FRAG_MIB THP_MIB [STALLS]\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		perror("fragment: prctl");
		return 1;
	}
	frag = strtoul(argv[2], NULL, 10) << 20;
	thp = strtoul(argv[3], NULL, 10) << 20;
	if (argc == 5)
		stalls = strtoul(argv[4], NULL, 10);
	printf("pid %d\n", getpid());
	fflush(stdout);

	f = map(frag, MADV_NOHUGEPAGE);
	for (i = 0; i < frag; i += PAGE)
		f[i] = 1;
	for (i = 0; i < frag; i += 2 * PAGE)
		if (madvise(f + i, PAGE, MADV_DONTNEED)) {
			perror("fragment: madvise");
			return 1;
		}

	/* Aligned, so that every fault can take a huge page. */
	t = map(thp + HUGE, MADV_HUGEPAGE);
	t = (char *)(((unsigned long)t + HUGE - 1) & ~(HUGE - 1));
	s0 = compact_stall();
	for (i = 0; i < thp; i += HUGE) {
		t[i] = 1;
		if (stalls && compact_stall() - s0 >= stalls)
			break;
	}
	printf("done\n");
	return 0;
}
