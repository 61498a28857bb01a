// SPDX-License-Identifier: Apache-2.0
/* Old stat ABI (__xstat & co, with a leading version argument): what
 * binaries built against glibc < 2.33 call. */
#include "goshim/record.h"
#include "real.h"
#include "stat.h"

#define ST_OLD(shape, new, name, stype, flags) ST_##shape(name, OLD, stype, flags)
ST_FAMILY(ST_OLD)
