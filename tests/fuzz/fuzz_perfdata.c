// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the perf.data reader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(&perfdata_reader, data, size);
}
