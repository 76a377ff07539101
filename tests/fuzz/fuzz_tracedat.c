// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the trace.dat reader (libtracecmd underneath). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(&tracedat_reader, data, size);
}
