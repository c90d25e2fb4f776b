import CGSL

/// Upper-tail probabilities of the distributions the tests use. Arguments outside the support
/// give 1 (no evidence); NaN gives NaN.
public enum Distributions {
    /// P(F > f) for the F distribution with (d1, d2) degrees of freedom.
    public static func fUpperTail(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
        _ = GSLRuntime.errorHandlerDisabled
        if f.isNaN { return .nan }
        if f <= 0 { return 1 }
        return gsl_cdf_fdist_Q(f, d1, d2)
    }

    /// P(X > x) for χ² with ν degrees of freedom.
    public static func chiSquaredUpperTail(_ x: Double, _ nu: Double) -> Double {
        _ = GSLRuntime.errorHandlerDisabled
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        return gsl_cdf_chisq_Q(x, nu)
    }

    /// P(T > t) for Student's t with ν degrees of freedom.
    public static func tUpperTail(_ t: Double, _ nu: Double) -> Double {
        _ = GSLRuntime.errorHandlerDisabled
        if t.isNaN { return .nan }
        return gsl_cdf_tdist_Q(t, nu)
    }

    /// P(Z > z) for the standard normal.
    public static func normalUpperTail(_ z: Double) -> Double {
        _ = GSLRuntime.errorHandlerDisabled
        if z.isNaN { return .nan }
        return gsl_cdf_ugaussian_Q(z)
    }

    /// P(X ≥ k) for X ~ Binomial(n, 1/2), exact for the sign test.
    public static func binomialHalfUpperTail(_ k: Int, _ n: Int) -> Double {
        _ = GSLRuntime.errorHandlerDisabled
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return gsl_cdf_binomial_Q(UInt32(k - 1), 0.5, UInt32(n))
    }
}
