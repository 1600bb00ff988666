//! JSON kept as it was written: objects keep their keys in the order they
//! came in, numbers keep their value. A value serialized again, compact or
//! pretty, gives the same bytes `serde_json` gave the original.
//!
//! The report model ([`crate::model::Report`]) serializes one way only;
//! when the analysis runs in a worker process, the record's report arrives
//! as JSON and is kept as an [`OrderedJson`] (`serde_json::Value` would sort
//! the keys).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// A JSON value, its objects' keys in their written order.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderedJson {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<OrderedJson>),
    Object(Vec<(String, OrderedJson)>),
}

impl OrderedJson {
    /// The value of `key`, when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&OrderedJson> {
        match self {
            OrderedJson::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// `value` as `serde_json` writes it, kept in order.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<OrderedJson> {
        serde_json::from_str(&serde_json::to_string(value)?)
    }
}

impl Serialize for OrderedJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OrderedJson::Null => s.serialize_unit(),
            OrderedJson::Bool(b) => s.serialize_bool(*b),
            OrderedJson::Number(n) => n.serialize(s),
            OrderedJson::String(t) => s.serialize_str(t),
            OrderedJson::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            OrderedJson::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for OrderedJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OrderedJson, D::Error> {
        d.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = OrderedJson;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Null)
    }

    fn visit_none<E>(self) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<OrderedJson, D::Error> {
        OrderedJson::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Number(n.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<OrderedJson, E> {
        serde_json::Number::from_f64(n)
            .map(OrderedJson::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, s: &str) -> Result<OrderedJson, E> {
        Ok(OrderedJson::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<OrderedJson, E> {
        Ok(OrderedJson::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OrderedJson, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(OrderedJson::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedJson, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(OrderedJson::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_json_comes_back_byte_for_byte_compact_and_pretty() {
        let written = r#"{"z":1,"a":[true,null,{"y":"二","b":-3}],"m":{},"e":[],"f":2.5,"big":18446744073709551615}"#;
        let kept: OrderedJson = serde_json::from_str(written).unwrap();
        assert_eq!(serde_json::to_string(&kept).unwrap(), written);
        let value: serde_json::Value = serde_json::from_str(written).unwrap();
        // Pretty output too, compared with serde_json's own (whose keys are
        // sorted, hence a reordered source).
        let sorted = serde_json::to_string(&value).unwrap();
        let kept_sorted: OrderedJson = serde_json::from_str(&sorted).unwrap();
        assert_eq!(
            serde_json::to_string_pretty(&kept_sorted).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn a_serializable_value_is_kept_as_serde_json_writes_it() {
        #[derive(serde::Serialize)]
        struct S {
            second: u32,
            first: Option<&'static str>,
        }
        let v = S {
            second: 2,
            first: None,
        };
        let kept = OrderedJson::of(&v).unwrap();
        assert_eq!(
            serde_json::to_string(&kept).unwrap(),
            serde_json::to_string(&v).unwrap()
        );
    }
}
