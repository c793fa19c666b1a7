//! A number that may be missing, as JSON can carry it: JSON has no NaN, and
//! serde_json writes one as `null`, which then cannot be read back into an
//! `f64`. Fields that are NaN by design (the response rate of an empty
//! group) use `#[serde(with = "crate::json_float")]`: written as `null`,
//! read back as NaN, so a worker's answer is never lost on the way.

use serde::{Deserialize, Deserializer, Serializer};

/// A finite number as itself, NaN and infinities as `null`.
pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_finite() {
        serializer.serialize_f64(*value)
    } else {
        serializer.serialize_none()
    }
}

/// A number, or NaN for `null`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize)]
    struct Rate {
        #[serde(with = "super")]
        rate: f64,
    }

    #[test]
    fn nan_travels_as_null_and_comes_back() -> Result<(), serde_json::Error> {
        let json = serde_json::to_string(&Rate { rate: f64::NAN })?;
        assert_eq!(json, r#"{"rate":null}"#);
        assert!(serde_json::from_str::<Rate>(&json)?.rate.is_nan());
        let back: Rate = serde_json::from_str(&serde_json::to_string(&Rate { rate: 0.25 })?)?;
        assert_eq!(back.rate, 0.25);
        Ok(())
    }
}
