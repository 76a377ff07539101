// SPDX-License-Identifier: GPL-2.0
/*
 * A shared object with known functions, for test_usyms: one exported
 * (in .dynsym, so named even stripped), one hidden (in .symtab only).
 */
__attribute__((noinline, visibility("hidden"))) int fixture_hidden(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) int fixture_exported(int x)
{
	return fixture_hidden(x) + 2;
}

/* Where fixture_hidden is, for the test to ask about. */
void *fixture_hidden_addr(void)
{
	return (void *)fixture_hidden;
}
