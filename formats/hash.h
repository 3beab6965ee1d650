/*
 * hash.h - a 64-bit hash of byte strings, for the in-memory hash tables,
 * Bloom filters and temporary parts that records are spread over.
 *
 * hash_bytes(seed, p, n) reads the bytes 8 at a time (FNV-1a's multiply per
 * word, then a shift so the high bits reach the low ones), the last word
 * zero-padded and n mixed into the seed so "a" and "a\0" differ, and ends
 * with splitmix64's finaliser, so every bit of the result is usable: the
 * low ones for a power-of-two table, the high ones for a part or a filter.
 * Different seeds give unrelated hashes of the same bytes, for two uses
 * that must not line up (the part a record goes to and the table that
 * groups the part's records).
 *
 * Not keyed: the input is the user's own exports, not an adversary's, and a
 * fixed hash keeps runs reproducible. Not a file format either: words are
 * read in the machine's byte order, so a value may differ from one machine
 * to another; nothing written to a file that outlives the process may
 * depend on one (analyzers/rules.c's fingerprint, which is written, keeps
 * its own byte-wise FNV-1a). The string need not be aligned.
 */
#ifndef TOUSU_HASH_H
#define TOUSU_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* FNV-1a's offset basis: the seed of a use that needs no other. */
#define HASH_SEED 0xcbf29ce484222325ULL

static inline uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	w = 0;
	if (n)
		memcpy(&w, s, n);
	h = (h ^ w) * 0x100000001b3ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

#endif
