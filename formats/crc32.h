/*
 * crc32.h - the gzip CRC-32, fast where the CPU can carry-less multiply.
 *
 * crc32_update(crc, p, n) is zlib's crc32(crc, p, n): start from 0, feed
 * the bytes in any pieces, compare with a gzip member's trailer. On x86-64
 * with PCLMULQDQ (every x86-64 CPU since 2010) runs of 64 bytes or more
 * are folded 64 bytes a step, the method of Intel's white paper "Fast CRC
 * Computation for Generic Polynomials Using PCLMULQDQ" as zlib-ng and
 * Chromium's zlib use it; the rest, and other CPUs, go to zlib's crc32().
 *
 * Why: inflating is the floor of every gzip job, and zlib 1.2.13 checks
 * each member's CRC at about a byte a cycle. The gzip reader checks each
 * trailer (and header CRC) itself with this; when zlib still inflated, a
 * bare inflate loop over the bench complaints took 1.01-1.04 s of CPU with
 * it instead of 1.06-1.09 s with zlib's check (five runs each).
 */
#ifndef TOUSU_CRC32_H
#define TOUSU_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n);

#endif
