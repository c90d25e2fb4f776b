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
