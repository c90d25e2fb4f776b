#ifndef SYMDETECT_CSHA256_H
#define SYMDETECT_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/* 1 when this CPU has the SHA extensions (and SSSE3/SSE4.1, which the kernel below also uses),
   0 otherwise or on a non-x86 build. Decided once, by CPUID. */
int symdetect_sha256_hardware_available(void);

/* SHA-256 compression of `blocks` consecutive 64-byte blocks into `state` (the eight words
   H0..H7), with the SHA-NI instructions. Only call when symdetect_sha256_hardware_available(). */
void symdetect_sha256_hardware_compress(uint32_t state[8], const void *data, size_t blocks);

#endif
