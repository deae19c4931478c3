//! The routing table: which handler serves a method and path.
//!
//! Ids in paths are checked here, so a malformed id gets "not found" before it names a
//! Durable Object.

use crate::error::ApiError;
use crate::ids;

/// A matched route, holding the ids taken from the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET /healthz`
    Health,
    /// `GET /openapi.json`
    OpenApi,
    /// `GET /dashboard`
    Dashboard,
    /// `POST /v1/events`
    Intake,
    /// `GET /v1/webhooks`
    ListWebhooks,
    /// `POST /v1/webhooks`
    CreateWebhook,
    /// `GET /v1/webhooks/{id}`
    GetWebhook(String),
    /// `PATCH /v1/webhooks/{id}`
    UpdateWebhook(String),
    /// `DELETE /v1/webhooks/{id}`
    DeleteWebhook(String),
    /// `POST /v1/webhooks/{id}/rotate-secret`
    RotateSecret(String),
    /// `GET /v1/webhooks/{id}/deliveries`
    ListDeliveries(String),
    /// `GET /v1/webhooks/{id}/dead-letters`
    ListDeadLetters(String),
    /// `POST /v1/webhooks/{id}/dead-letters/{deliveryId}/replay`
    ReplayDeadLetter {
        /// The webhook id.
        webhook_id: String,
        /// The delivery to replay.
        delivery_id: String,
    },
    /// `POST /v1/webhooks/{id}/dead-letters/replay`
    ReplayDeadLetters(String),
    /// `POST /v1/webhooks/{id}/test`
    SendTest(String),
    /// `GET /v1/webhooks/{id}/stats`
    Stats(String),
}

impl Route {
    /// Returns whether the route needs an API key.
    #[must_use]
    pub fn needs_api_key(&self) -> bool {
        !matches!(self, Route::Health | Route::OpenApi | Route::Dashboard | Route::Intake)
    }
}

/// Finds the route for `method` and `path`.
///
/// # Errors
/// - [`ApiError::RouteNotFound`] when no route has this path.
/// - [`ApiError::MethodNotAllowed`] when the path exists but not with this method.
/// - [`ApiError::WebhookNotFound`] or [`ApiError::DeliveryNotFound`] when an id in the path
///   does not have the shape of such an id.
pub fn route(method: &str, path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();

    match segments.as_slice() {
        ["healthz"] => only(method, "GET", Route::Health),
        ["openapi.json"] => only(method, "GET", Route::OpenApi),
        ["dashboard"] => only(method, "GET", Route::Dashboard),
        ["v1", "events"] => only(method, "POST", Route::Intake),
        ["v1", "webhooks"] => match method {
            "GET" => Ok(Route::ListWebhooks),
            "POST" => Ok(Route::CreateWebhook),
            _ => Err(ApiError::MethodNotAllowed { allowed: "GET, POST" }),
        },
        ["v1", "webhooks", id, rest @ ..] => webhook_route(method, webhook_id(id)?, rest),
        _ => Err(ApiError::RouteNotFound),
    }
}

fn webhook_route(method: &str, id: String, rest: &[&str]) -> Result<Route, ApiError> {
    match rest {
        [] => match method {
            "GET" => Ok(Route::GetWebhook(id)),
            "PATCH" => Ok(Route::UpdateWebhook(id)),
            "DELETE" => Ok(Route::DeleteWebhook(id)),
            _ => Err(ApiError::MethodNotAllowed { allowed: "GET, PATCH, DELETE" }),
        },
        ["rotate-secret"] => only(method, "POST", Route::RotateSecret(id)),
        ["deliveries"] => only(method, "GET", Route::ListDeliveries(id)),
        ["dead-letters"] => only(method, "GET", Route::ListDeadLetters(id)),
        ["dead-letters", "replay"] => only(method, "POST", Route::ReplayDeadLetters(id)),
        ["dead-letters", delivery_id, "replay"] => {
            if !ids::is_delivery_id(delivery_id) {
                return Err(ApiError::DeliveryNotFound);
            }
            only(method, "POST", Route::ReplayDeadLetter { webhook_id: id, delivery_id: (*delivery_id).to_owned() })
        }
        ["test"] => only(method, "POST", Route::SendTest(id)),
        ["stats"] => only(method, "GET", Route::Stats(id)),
        _ => Err(ApiError::RouteNotFound),
    }
}

fn webhook_id(segment: &str) -> Result<String, ApiError> {
    if ids::is_webhook_id(segment) {
        Ok(segment.to_owned())
    } else {
        Err(ApiError::WebhookNotFound)
    }
}

fn only(method: &str, allowed: &'static str, route: Route) -> Result<Route, ApiError> {
    if method == allowed || (allowed == "GET" && method == "HEAD") {
        Ok(route)
    } else {
        Err(ApiError::MethodNotAllowed { allowed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "wh_0123456789abcdef01234567";

    #[test]
    fn static_and_collection_routes() {
        assert_eq!(route("GET", "/healthz"), Ok(Route::Health));
        assert_eq!(route("GET", "/openapi.json"), Ok(Route::OpenApi));
        assert_eq!(route("GET", "/dashboard"), Ok(Route::Dashboard));
        assert_eq!(route("POST", "/v1/events"), Ok(Route::Intake));
        assert_eq!(route("GET", "/v1/webhooks"), Ok(Route::ListWebhooks));
        assert_eq!(route("POST", "/v1/webhooks/"), Ok(Route::CreateWebhook));
    }

    #[test]
    fn webhook_routes_carry_their_ids() {
        assert_eq!(route("GET", &format!("/v1/webhooks/{ID}")), Ok(Route::GetWebhook(ID.into())));
        assert_eq!(route("PATCH", &format!("/v1/webhooks/{ID}")), Ok(Route::UpdateWebhook(ID.into())));
        assert_eq!(route("DELETE", &format!("/v1/webhooks/{ID}")), Ok(Route::DeleteWebhook(ID.into())));
        assert_eq!(route("POST", &format!("/v1/webhooks/{ID}/rotate-secret")), Ok(Route::RotateSecret(ID.into())));
        assert_eq!(route("GET", &format!("/v1/webhooks/{ID}/deliveries")), Ok(Route::ListDeliveries(ID.into())));
        assert_eq!(route("GET", &format!("/v1/webhooks/{ID}/dead-letters")), Ok(Route::ListDeadLetters(ID.into())));
        assert_eq!(route("POST", &format!("/v1/webhooks/{ID}/dead-letters/replay")), Ok(Route::ReplayDeadLetters(ID.into())));
        assert_eq!(
            route("POST", &format!("/v1/webhooks/{ID}/dead-letters/dlv_abc/replay")),
            Ok(Route::ReplayDeadLetter { webhook_id: ID.into(), delivery_id: "dlv_abc".into() })
        );
        assert_eq!(route("POST", &format!("/v1/webhooks/{ID}/test")), Ok(Route::SendTest(ID.into())));
        assert_eq!(route("GET", &format!("/v1/webhooks/{ID}/stats")), Ok(Route::Stats(ID.into())));
    }

    #[test]
    fn malformed_ids_are_not_found() {
        assert_eq!(route("GET", "/v1/webhooks/nope"), Err(ApiError::WebhookNotFound));
        assert_eq!(route("GET", "/v1/webhooks/wh_..%2F"), Err(ApiError::WebhookNotFound));
        assert_eq!(route("POST", &format!("/v1/webhooks/{ID}/dead-letters/evt_1/replay")), Err(ApiError::DeliveryNotFound));
    }

    #[test]
    fn wrong_method_and_unknown_paths() {
        assert_eq!(route("DELETE", "/v1/webhooks"), Err(ApiError::MethodNotAllowed { allowed: "GET, POST" }));
        assert_eq!(route("GET", "/v1/events"), Err(ApiError::MethodNotAllowed { allowed: "POST" }));
        assert_eq!(route("GET", "/"), Err(ApiError::RouteNotFound));
        assert_eq!(route("GET", "/v2/webhooks"), Err(ApiError::RouteNotFound));
        assert_eq!(route("GET", &format!("/v1/webhooks/{ID}/unknown")), Err(ApiError::RouteNotFound));
    }

    #[test]
    fn only_admin_routes_need_a_key() {
        assert!(!Route::Intake.needs_api_key());
        assert!(!Route::Dashboard.needs_api_key());
        assert!(Route::ListWebhooks.needs_api_key());
        assert!(Route::Stats(ID.into()).needs_api_key());
    }
}
