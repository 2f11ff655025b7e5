//! YAML reading shared by `lectern.yml`, front matter and `_category_` files.
//!
//! In: text. Out: a typed value or yaml_serde's error (which carries the position).
//! yaml_serde refuses alias bombs and deep nesting on its own (it caps alias expansion and
//! recursion), so a hostile file fails with an error instead of eating memory.

use serde::de::DeserializeOwned;

/// Parses YAML text into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, yaml_serde::Error> {
    yaml_serde::from_str(text)
}

/// Accepts any scalar (string, number, bool) as a string: `title: 2021` is a title.
pub fn scalar_string<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::S(s) => s,
        Scalar::I(i) => i.to_string(),
        Scalar::F(f) => f.to_string(),
        Scalar::B(b) => b.to_string(),
    }))
}

/// Tells "key absent" (`None`) from "key: null" (`Some(None)`).
pub fn explicit_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Some(Option::<T>::deserialize(d)?))
}
