//! Native builds only: the C math functions (`exp`, `log`, `pow`, …) that
//! std's `f64` methods, and so smartcore, call, defined here over the
//! pure-Rust `libm` crate.
//!
//! Why: on wasm32 these calls land in the musl-derived libm that
//! compiler-builtins compiles in; natively they land in the platform's C
//! library (glibc), whose results differ in the last bit for some inputs.
//! smartcore's logistic regression, RBF kernel and naive Bayes use them,
//! and one last-bit difference grows into another model (measured: an RBF
//! SVC fold score of 0.8919 natively against 0.8378 in wasm on iris). A
//! definition in our own code takes precedence over the C library's when
//! linking, so native runs compute what wasm computes and a manifest
//! replays bit for bit on both. Nothing in this file is called directly.
//! No wasm here.
#![allow(missing_docs)]

macro_rules! unary {
    ($($name:ident),* $(,)?) => {
        $(
            /// The C library's function of this name, computed by `libm`.
            #[no_mangle]
            pub extern "C" fn $name(x: f64) -> f64 {
                libm::$name(x)
            }
        )*
    };
}

macro_rules! binary {
    ($($name:ident),* $(,)?) => {
        $(
            /// The C library's function of this name, computed by `libm`.
            #[no_mangle]
            pub extern "C" fn $name(x: f64, y: f64) -> f64 {
                libm::$name(x, y)
            }
        )*
    };
}

unary!(exp, exp2, expm1, log, log2, log10, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, cbrt);
binary!(pow, atan2, hypot);

#[cfg(test)]
mod tests {
    /// std's methods now reach these definitions: the same bits as `libm`.
    #[test]
    fn std_math_is_libm() {
        let mut x = -30.0f64;
        while x < 30.0 {
            let y = std::hint::black_box(x);
            assert_eq!(y.exp().to_bits(), libm::exp(y).to_bits(), "exp({y})");
            assert_eq!(y.abs().ln().to_bits(), libm::log(y.abs()).to_bits(), "ln({y})");
            assert_eq!(y.abs().powf(0.37).to_bits(), libm::pow(y.abs(), 0.37).to_bits(), "pow({y})");
            x += 0.0137;
        }
    }
}
