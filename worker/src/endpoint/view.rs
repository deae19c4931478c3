//! The Delivery object of the API, built from stored rows.

use aether_webhooks::Timestamp;
use serde::Serialize;

use super::store::{AttemptRow, DeliveryRow};

/// A delivery as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// The delivery id.
    pub id: String,
    /// The event id.
    pub event_id: String,
    /// The event type.
    pub event: String,
    /// `pending`, `delivered` or `dead_letter`.
    pub status: String,
    /// When the delivery was created.
    pub created_at: Timestamp,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<Timestamp>,
    /// The finished attempts, oldest first.
    pub attempts: Vec<AttemptView>,
}

/// One attempt as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    /// The attempt number, counting every attempt of the delivery including replays.
    pub attempt: u32,
    /// When it started.
    pub at: Timestamp,
    /// The receiver's HTTP status, or `None` without a response.
    pub status: Option<u16>,
    /// The failure class, or `None` for a 2xx response.
    pub error_class: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Builds the views of `rows`, each with its attempts taken from `attempts`.
#[must_use]
pub fn deliveries(rows: Vec<DeliveryRow>, attempts: &[AttemptRow]) -> Vec<DeliveryView> {
    rows.into_iter()
        .map(|row| {
            let attempts = attempts
                .iter()
                .filter(|attempt| attempt.delivery_id == row.id)
                .map(|attempt| AttemptView {
                    attempt: attempt.attempt,
                    at: Timestamp::from_millis(attempt.at),
                    status: attempt.status,
                    error_class: attempt.error_class.clone(),
                    duration_ms: attempt.duration_ms.unwrap_or(0),
                })
                .collect();
            DeliveryView {
                id: row.id,
                event_id: row.event_id,
                event: row.event,
                status: row.status,
                created_at: Timestamp::from_millis(row.created_at),
                next_attempt_at: row.next_attempt_at.map(Timestamp::from_millis),
                attempts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, status: &str, next: Option<i64>) -> DeliveryRow {
        DeliveryRow {
            id: id.into(),
            event_id: format!("evt_{id}"),
            event: "post.published".into(),
            data: "{}".into(),
            status: status.into(),
            created_at: 1_781_514_014_000,
            next_attempt_at: next,
            attempts: 1,
            round_start: 0,
            in_flight: 0,
        }
    }

    #[test]
    fn attempts_go_to_their_delivery() {
        let attempts = [
            AttemptRow { delivery_id: "dlv_a".into(), attempt: 1, at: 1_781_514_014_000, status: Some(500), error_class: Some("http".into()), duration_ms: Some(12) },
            AttemptRow { delivery_id: "dlv_b".into(), attempt: 1, at: 1_781_514_014_500, status: Some(200), error_class: None, duration_ms: Some(3) },
        ];

        let views = deliveries(vec![row("dlv_a", "pending", Some(1_781_514_015_000)), row("dlv_b", "delivered", None)], &attempts);

        assert_eq!(views[0].attempts.len(), 1);
        assert_eq!(views[0].attempts[0].status, Some(500));
        assert_eq!(views[0].next_attempt_at, Some(Timestamp::from_secs(1_781_514_015)));
        assert_eq!(views[1].attempts[0].error_class, None);
        assert_eq!(views[1].next_attempt_at, None);
    }

    #[test]
    fn view_serialises_in_the_contract_shape() {
        let value = serde_json::to_value(&deliveries(vec![row("dlv_a", "delivered", None)], &[])[0]).expect("serialisable");

        assert_eq!(
            value,
            serde_json::json!({
                "id": "dlv_a",
                "eventId": "evt_dlv_a",
                "event": "post.published",
                "status": "delivered",
                "createdAt": "2026-06-15T09:00:14Z",
                "nextAttemptAt": null,
                "attempts": []
            })
        );
    }
}
