//! The whole HTTP service: the OpenAPI operations of every domain under `/api/v1`, the docs,
//! operations endpoints and the frontend, wrapped in the shared middleware. The one module
//! that knows every domain; nothing imports it but the application and the command line.

use poem::endpoint::{StaticFilesEndpoint, make_sync};
use poem::http::{HeaderValue, Method, header};
use poem::middleware::{CatchPanic, Cors};
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get};
use poem_openapi::OpenApiService;

use crate::http::{body_limit, context, ops};
use crate::state::AppState;
use crate::{
    accounts, agencies, calendar, comments, decisions, disclosure, feedback, follows, meetings, open_days,
    policy_areas, statistics,
};

pub type Api = (
    accounts::api::AccountsApi,
    accounts::admin_api::AccountAdminApi,
    agencies::api::AgenciesApi,
    policy_areas::api::PolicyAreasApi,
    decisions::api::DecisionsApi,
    decisions::attachments_api::AttachmentsApi,
    comments::api::CommentsApi,
    follows::api::FollowsApi,
    feedback::api::FeedbackApi,
    statistics::api::StatisticsApi,
    meetings::api::MeetingsApi,
    open_days::api::OpenDaysApi,
    calendar::api::CalendarApi,
    disclosure::api::DisclosureApi,
);

/// The OpenAPI service: the single source of the spec and of the `/api/v1` routes.
pub fn api_service() -> OpenApiService<Api, ()> {
    OpenApiService::new(
        (
            accounts::api::AccountsApi,
            accounts::admin_api::AccountAdminApi,
            agencies::api::AgenciesApi,
            policy_areas::api::PolicyAreasApi,
            decisions::api::DecisionsApi,
            decisions::attachments_api::AttachmentsApi,
            comments::api::CommentsApi,
            follows::api::FollowsApi,
            feedback::api::FeedbackApi,
            statistics::api::StatisticsApi,
            meetings::api::MeetingsApi,
            open_days::api::OpenDaysApi,
            calendar::api::CalendarApi,
            disclosure::api::DisclosureApi,
        ),
        "Wenji 问计 API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "问计：政府决策公众参与平台的接口。决策预公开、意见征集、采纳反馈、会议开放与政务公开目录。\n\n\
         Wenji: the API of a public-participation platform for local government decisions. \
         Errors are RFC 9457 problem+json in the language of `Accept-Language` (zh-CN by default, or en). \
         Sign in with `POST /auth/login` and send the token as `Authorization: Bearer <token>`.",
    )
    .server("/api/v1")
}

/// The whole HTTP service.
pub fn build(state: AppState) -> impl Endpoint + 'static {
    let api = api_service();
    let spec_json = api.spec_endpoint();
    let spec_yaml = api.spec_endpoint_yaml();
    let docs = api.swagger_ui();
    let mut route = Route::new()
        .nest("/api/v1", api)
        .nest("/docs", docs)
        .at("/openapi.json", spec_json)
        .at("/openapi.yaml", spec_yaml)
        .at("/healthz", get(ops::healthz))
        .at("/readyz", get(ops::readyz))
        .at("/metrics", get(ops::metrics));
    if let Some(dir) = state.config.frontend_dir.clone() {
        route = route.nest("/", StaticFilesEndpoint::new(&dir).index_file("index.html").fallback_to_index());
    } else {
        route = route.at("/", make_sync(|_| poem::web::Redirect::see_other("/docs")));
    }
    let body_rules = body_limit::BodyRules {
        limit: state.config.body_limit,
        upload_limit: state.config.attachment_limit,
        read_timeout: state.config.body_read_timeout,
    };
    let cors = (!state.config.cors_origins.is_empty()).then(|| {
        state.config.cors_origins.iter().fold(Cors::new(), |c, o| c.allow_origin(o.as_str())).allow_credentials(false)
    });
    route
        .with_if(cors.is_some(), cors.unwrap_or_default())
        .around(move |ep, req| body_limit::limit_body(ep, req, body_rules))
        .with(CatchPanic::new())
        .around(context::around)
        .around(head_as_get)
        .data(state)
}

/// HEAD is GET without the body (RFC 9110 §9.3.2): every GET route — the API, the docs, the
/// spec, the operations endpoints and the frontend's pages — answers HEAD with the status and
/// headers its GET would have, including the `Content-Length` of the body it leaves out.
/// Outermost, so that every middleware treats the request exactly as the GET.
async fn head_as_get<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    if req.method() != Method::HEAD {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    req.set_method(Method::GET);
    let mut resp = match next.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let body = resp.take_body();
    if !resp.headers().contains_key(header::CONTENT_LENGTH) {
        let length = body.into_bytes().await.map(|b| b.len()).unwrap_or(0);
        resp.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(resp)
}
