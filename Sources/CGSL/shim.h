#ifndef SYMDETECT_CGSL_SHIM_H
#define SYMDETECT_CGSL_SHIM_H

#include <stddef.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_multilarge.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

/* Exported by libgsl (>= 2.2) but not declared in gsl_multilarge.h: the
   accumulated R factor and Q^T y of the TSQR solver. */
const gsl_matrix *gsl_multilarge_linear_matrix_ptr(const gsl_multilarge_linear_workspace *w);
const gsl_vector *gsl_multilarge_linear_rhs_ptr(const gsl_multilarge_linear_workspace *w);

/* OpenBLAS (the CBLAS behind GSL here): its own thread pool is pinned to one thread so that no
   reduction is split differently from run to run; symdetect parallelises over fixed row stripes. */
void openblas_set_num_threads(int num_threads);

/* OpenBLAS's pthreads build starts its worker threads when it is loaded, and an idle worker
   spins (sched_yield) for about 2^28 cycles before it sleeps: a tenth of a second of one core,
   taken from the start of every run. With one BLAS thread the workers are never used, so they
   are joined here. Declared weak: a build of OpenBLAS without the symbol (serial, OpenMP)
   leaves it null and nothing is called. */
void blas_thread_shutdown_(void) __attribute__((weak));

/* OpenBLAS's dynamic-architecture build picks its kernels for the CPU it runs on (Haswell,
   SkylakeX, Cooperlake, Zen, ...). Their blocked products add in different orders, so the last
   bits of a Gram matrix, hence of every fitted number, would depend on the machine, and a report
   made on one machine would not be reproduced byte for byte on another. The Haswell kernels
   (AVX2 and FMA: every x86-64 CPU since 2013 (Intel) and 2015 (AMD)) are therefore selected
   wherever the CPU has those instructions, before the first BLAS call, through OpenBLAS's own
   start-up path (OPENBLAS_CORETYPE read by gotoblas_dynamic_init, which also sets the kernels'
   blocking parameters); the caller's environment is left as it was. Declared weak: a build of
   OpenBLAS without dynamic architectures (or another BLAS) leaves them null and nothing changes.
   Returns 1 when the Haswell kernels are in use. */
extern void *gotoblas __attribute__((weak));
extern char gotoblas_HASWELL[] __attribute__((weak));
void gotoblas_dynamic_init(void) __attribute__((weak));
char *gotoblas_corename(void) __attribute__((weak));
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
char *getenv(const char *name);
char *strdup(const char *s);
void free(void *ptr);

static inline int symdetect_blas_pin_haswell_kernels(void) {
#if defined(__x86_64__)
    if (&gotoblas == NULL || gotoblas_HASWELL == NULL || gotoblas_dynamic_init == NULL) return 0;
    if (gotoblas == (void *)gotoblas_HASWELL) return 1;
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return 0;
    const char *previous = getenv("OPENBLAS_CORETYPE");
    char *saved = previous ? strdup(previous) : NULL;
    setenv("OPENBLAS_CORETYPE", "Haswell", 1);
    gotoblas = NULL;
    gotoblas_dynamic_init();
    if (saved) { setenv("OPENBLAS_CORETYPE", saved, 1); free(saved); } else { unsetenv("OPENBLAS_CORETYPE"); }
    return gotoblas == (void *)gotoblas_HASWELL;
#else
    return 0;
#endif
}

/* The name of the kernels OpenBLAS uses ("Haswell", "SkylakeX", ...), or NULL. */
static inline const char *symdetect_blas_kernel_name(void) {
    return gotoblas_corename ? gotoblas_corename() : NULL;
}

static inline void symdetect_blas_single_thread(void) {
    openblas_set_num_threads(1);
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}

/* LAPACK's one-sided Jacobi SVD (Drmač & Veselić), as OpenBLAS exports it (Fortran calling
   convention: every argument by reference, the lengths of the character arguments last). */
void dgesvj_(const char *joba, const char *jobu, const char *jobv, const int *m, const int *n,
             double *a, const int *lda, double *sva, const int *mv, double *v, const int *ldv,
             double *work, const int *lwork, int *info, size_t joba_len, size_t jobu_len, size_t jobv_len);

#endif
