/* SPDX-License-Identifier: Apache-2.0 */
#ifndef GS_CRC32C_H
#define GS_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli), the variant iSCSI and ext4 use.  Start with crc = 0;
 * feed pieces in order to continue: gs_crc32c(gs_crc32c(0, a, n), b, m). */
uint32_t gs_crc32c(uint32_t crc, const void *buf, size_t len);

/* The same CRC, always computed with the portable slice-by-8 tables (never
 * the SSE4.2 instruction).  For tests that compare the two paths. */
uint32_t gs_crc32c_sw(uint32_t crc, const void *buf, size_t len);

#endif
