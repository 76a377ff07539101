// SPDX-License-Identifier: GPL-2.0
/*
 * elf_syms.c against a crafted ELF file whose sizes are chosen to wrap:
 * a PT_LOAD segment of UINT64_MAX bytes, whose end overflows; a function
 * at the top of the address space, whose end overflows too; a symbol
 * table whose sh_entsize (1) says it holds 48 symbols rather than 2.
 * Each is read for what it says, without a wrapped sum or product; the
 * same file cut short before its section headers names nothing.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/symbols/elf_syms.h"

#define SYMTAB_OFF 0x100
#define STRTAB_OFF 0x140
#define SHDR_OFF   0x180
#define FILE_SIZE  (SHDR_OFF + 3 * sizeof(Elf64_Shdr))

/* The function's address: its end, plus its size, is past 2^64. */
#define FUNC_ADDR 0xfffffffffffff000ULL
#define FUNC_SIZE 0x2000
/* File offset SYMTAB_OFF is FUNC_ADDR + 0x10. */
#define SEG_OFF	  0x40
#define SEG_VADDR (FUNC_ADDR + 0x10 - (SYMTAB_OFF - SEG_OFF))

static const char strtab[] = "\0wrapper";

static void craft(unsigned char *f)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)f;
	Elf64_Phdr *ph = (Elf64_Phdr *)(f + sizeof(*eh));
	Elf64_Sym *sym = (Elf64_Sym *)(f + SYMTAB_OFF);
	Elf64_Shdr *sh = (Elf64_Shdr *)(f + SHDR_OFF);

	memset(f, 0, FILE_SIZE);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_shoff = SHDR_OFF;
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	eh->e_shentsize = sizeof(*sh);
	eh->e_shnum = 3;
	*ph = (Elf64_Phdr){ .p_type = PT_LOAD,
			    .p_offset = SEG_OFF,
			    .p_vaddr = SEG_VADDR,
			    .p_filesz = UINT64_MAX,
			    .p_memsz = UINT64_MAX };
	sym[1] = (Elf64_Sym){ .st_name = 1,
			      .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			      .st_shndx = 1,
			      .st_value = FUNC_ADDR,
			      .st_size = FUNC_SIZE };
	memcpy(f + STRTAB_OFF, strtab, sizeof(strtab));
	sh[1] = (Elf64_Shdr){ .sh_type = SHT_SYMTAB,
			      .sh_offset = SYMTAB_OFF,
			      .sh_size = 2 * sizeof(Elf64_Sym),
			      .sh_link = 2,
			      .sh_entsize = 1 };
	sh[2] = (Elf64_Shdr){ .sh_type = SHT_STRTAB,
			      .sh_offset = STRTAB_OFF,
			      .sh_size = sizeof(strtab) };
}

/* The crafted file, cut to size bytes, as elf_syms_load() reads it. */
static struct elf_syms *load(size_t size)
{
	unsigned char file[FILE_SIZE];
	struct elf_syms *s;
	int fd = memfd_create("crafted-elf", MFD_CLOEXEC);

	assert_true(fd >= 0);
	craft(file);
	assert_int_equal(write(fd, file, size), size);
	s = elf_syms_load(fd, size);
	close(fd);
	assert_non_null(s);
	return s;
}

static void test_wrapping_sizes(void **state)
{
	struct elf_syms *s = load(FILE_SIZE);
	char buf[64];

	assert_int_equal(
		elf_syms_name(s, SYMTAB_OFF, SYMTAB_OFF, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "wrapper+0x10");
	/* Before the segment: no address, no name. */
	assert_int_equal(
		elf_syms_name(s, SEG_OFF - 1, SEG_OFF - 1, buf, sizeof(buf)),
		-ENOENT);
	elf_syms_free(s);
}

static void test_cut_short(void **state)
{
	struct elf_syms *s = load(SHDR_OFF);
	char buf[64];

	assert_int_equal(
		elf_syms_name(s, SYMTAB_OFF, SYMTAB_OFF, buf, sizeof(buf)),
		-ENOENT);
	elf_syms_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapping_sizes),
		cmocka_unit_test(test_cut_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
