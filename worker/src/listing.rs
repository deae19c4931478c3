//! Query parameters of the list and stats routes: status filter, page size, cursor, hours.
//!
//! Lists are ordered newest first by `(createdAt, id)`; a cursor names the last item of the
//! previous page, so pages stay stable while new deliveries arrive.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids;

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;
const DEFAULT_HOURS: u32 = 24;
const MAX_HOURS: u32 = 48;

/// The delivery states a list can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Waiting for their first or next attempt.
    Pending,
    /// Accepted by the receiver.
    Delivered,
    /// Pending deliveries whose latest attempt failed, so they wait for a retry.
    Failed,
    /// Given up after the last attempt; they can be replayed.
    DeadLetter,
}

/// The position after the last item of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last item's creation time in milliseconds.
    pub created_at: i64,
    /// The last item's id, which orders items created in the same millisecond.
    pub id: String,
}

impl Cursor {
    /// Writes the cursor as the opaque text clients send back.
    #[must_use]
    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }

    /// Reads a cursor written by [`Cursor::encode`].
    ///
    /// # Errors
    /// Returns [`ApiError::InvalidField`] for text that is not such a cursor.
    pub fn decode(text: &str) -> Result<Cursor, ApiError> {
        let invalid = || ApiError::invalid_field("cursor", "is not a cursor from a previous page: pass nextCursor unchanged");

        let (created_at, id) = text.split_once('.').ok_or_else(invalid)?;
        let created_at = created_at.parse::<i64>().map_err(|_| invalid())?;
        if !ids::is_delivery_id(id) {
            return Err(invalid());
        }
        Ok(Cursor { created_at, id: id.to_owned() })
    }
}

/// The checked parameters of a deliveries or dead-letters list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Only deliveries in this state, or all.
    pub status: Option<StatusFilter>,
    /// The page size, 1 to 100.
    pub limit: u32,
    /// The position the page starts after, or `None` for the newest delivery.
    pub cursor: Option<Cursor>,
}

/// Parses `status`, `limit` and `cursor` from query pairs; other parameters are ignored.
///
/// # Errors
/// Returns [`ApiError::InvalidField`] naming the parameter that is not acceptable.
pub fn parse_list_query(pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let mut query = ListQuery { status: None, limit: DEFAULT_LIMIT, cursor: None };

    for (name, value) in pairs {
        match name.as_str() {
            "status" => {
                let status = serde_json::from_value(serde_json::Value::String(value.clone()))
                    .map_err(|_| ApiError::invalid_field("status", "must be one of pending, delivered, failed, dead_letter"))?;
                query.status = Some(status);
            }
            "limit" => query.limit = parse_in_range("limit", value, 1, MAX_LIMIT)?,
            "cursor" if !value.is_empty() => query.cursor = Some(Cursor::decode(value)?),
            _ => {}
        }
    }

    Ok(query)
}

/// Parses the `hours` of the stats route, 1 to 48, 24 when absent.
///
/// # Errors
/// Returns [`ApiError::InvalidField`] for a value outside that range.
pub fn parse_hours(pairs: &[(String, String)]) -> Result<u32, ApiError> {
    let mut hours = DEFAULT_HOURS;
    for (name, value) in pairs {
        if name == "hours" {
            hours = parse_in_range("hours", value, 1, MAX_HOURS)?;
        }
    }
    Ok(hours)
}

fn parse_in_range(name: &str, value: &str, min: u32, max: u32) -> Result<u32, ApiError> {
    match value.parse::<u32>() {
        Ok(number) if (min..=max).contains(&number) => Ok(number),
        _ => Err(ApiError::invalid_field(name, format!("must be a whole number from {min} to {max}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn defaults_without_parameters() {
        let query = parse_list_query(&[]).expect("valid");

        assert_eq!(query, ListQuery { status: None, limit: 20, cursor: None });
        assert_eq!(parse_hours(&[]), Ok(24));
    }

    #[test]
    fn parameters_parse() {
        let cursor = Cursor { created_at: 1_781_514_014_000, id: "dlv_abc".into() }.encode();
        let query = parse_list_query(&pairs(&[("status", "dead_letter"), ("limit", "100"), ("cursor", cursor.as_str()), ("other", "x")])).expect("valid");

        assert_eq!(query.status, Some(StatusFilter::DeadLetter));
        assert_eq!(query.limit, 100);
        assert_eq!(query.cursor, Some(Cursor { created_at: 1_781_514_014_000, id: "dlv_abc".into() }));
        assert_eq!(parse_hours(&pairs(&[("hours", "48")])), Ok(48));
    }

    #[test]
    fn out_of_range_values_name_the_parameter() {
        let field = |result: Result<ListQuery, ApiError>| match result {
            Err(ApiError::InvalidField { field, .. }) => field,
            other => panic!("expected invalid_field, got {other:?}"),
        };

        assert_eq!(field(parse_list_query(&pairs(&[("limit", "0")]))), "limit");
        assert_eq!(field(parse_list_query(&pairs(&[("limit", "101")]))), "limit");
        assert_eq!(field(parse_list_query(&pairs(&[("status", "lost")]))), "status");
        assert_eq!(field(parse_list_query(&pairs(&[("cursor", "yesterday")]))), "cursor");
        assert_eq!(field(parse_list_query(&pairs(&[("cursor", "12.wh_abc")]))), "cursor");
        assert!(parse_hours(&pairs(&[("hours", "49")])).is_err());
        assert!(parse_hours(&pairs(&[("hours", "0")])).is_err());
    }
}
