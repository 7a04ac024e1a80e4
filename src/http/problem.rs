//! RFC 9457 problem details: the one error envelope of the API, and the one place where
//! domain errors and framework errors become HTTP responses.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use crate::error::{AppError, FieldIssue};
use crate::i18n::{self, Lang, Text};
use crate::t;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem with one field of the request.
#[derive(Object, Clone, Debug)]
pub struct FieldError {
    /// The field, as named in the request (`email`, `page`).
    pub field: String,
    /// Stable machine-readable code (`too_short`, `taken`, `invalid_email`, …).
    pub code: String,
    /// What is wrong, in the request's language.
    pub message: String,
}

/// An error, as RFC 9457 problem details.
#[derive(Object, Clone, Debug)]
pub struct Problem {
    /// A URI identifying the kind of problem.
    #[oai(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem, in the request's language.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened this time, in the request's language.
    pub detail: String,
    /// Stable machine-readable code for this kind of problem.
    pub code: String,
    /// The id of the request, also in the `X-Request-Id` header; quote it when reporting a fault.
    #[oai(skip_serializing_if_is_none)]
    pub request_id: Option<String>,
    /// Field-level problems, for forms (empty when the problem is not about fields).
    pub errors: Vec<FieldError>,
}

/// Every error an operation can answer with. Each carries a problem+json body.
#[derive(ApiResponse, Debug)]
pub enum ApiError {
    /// The request could not be read: malformed JSON, a wrong type, a missing parameter.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// Not signed in, or the session has ended.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>),
    /// Signed in, but not allowed to do this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// No such resource (or not visible to you).
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// This address does not accept that method.
    #[oai(status = 405, content_type = "application/problem+json")]
    MethodNotAllowed(Json<Problem>),
    /// The resource's state does not allow this now.
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// The request body is larger than the server accepts.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Problem>),
    /// The request body's media type is not one this operation accepts.
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Problem>),
    /// The request was read, but some of its values break a rule; see `errors`.
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Problem>),
    /// Too many attempts; wait for `Retry-After` seconds.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Json<Problem>, #[oai(header = "Retry-After")] String),
    /// A fault on our side; quote the request id when reporting it.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
}

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `fut` with `id` as the request id quoted in its problems.
pub async fn with_request_id<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

fn problem(status: StatusCode, code: &str, title: Text, detail: Text, errors: Vec<FieldError>) -> Problem {
    let lang = i18n::current();
    Problem {
        kind: format!("https://wenji.gov.cn/problems/{}", code.replace('_', "-")),
        title: title.get(lang).to_string(),
        status: status.as_u16(),
        detail: detail.get(lang).to_string(),
        code: code.to_string(),
        request_id: current_request_id(),
        errors,
    }
}

fn field_errors(issues: Vec<FieldIssue>, lang: Lang) -> Vec<FieldError> {
    issues
        .into_iter()
        .map(|i| FieldError { field: i.field, code: i.code.to_string(), message: i.message.get(lang).to_string() })
        .collect()
}

impl ApiError {
    fn build(status: StatusCode, code: &str, title: Text, detail: Text, errors: Vec<FieldError>) -> ApiError {
        let p = Json(problem(status, code, title, detail, errors));
        match status {
            StatusCode::BAD_REQUEST => ApiError::BadRequest(p),
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized(p),
            StatusCode::FORBIDDEN => ApiError::Forbidden(p),
            StatusCode::NOT_FOUND => ApiError::NotFound(p),
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed(p),
            StatusCode::CONFLICT => ApiError::Conflict(p),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(p),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(p),
            StatusCode::UNPROCESSABLE_ENTITY => ApiError::Unprocessable(p),
            StatusCode::TOO_MANY_REQUESTS => ApiError::TooManyRequests(p, "60".into()),
            _ => ApiError::Internal(p),
        }
    }

    pub fn not_found() -> ApiError {
        AppError::NotFound(t!("找不到该资源。", "Not found.")).into()
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> ApiError {
        let lang = i18n::current();
        match err {
            AppError::Invalid(issues) => ApiError::build(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                t!("提交的内容有误", "Some values are not valid"),
                t!("请根据提示修改后重新提交。", "Correct the fields listed and try again."),
                field_errors(issues, lang),
            ),
            AppError::Unauthenticated(detail) => ApiError::build(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                t!("需要登录", "Sign-in required"),
                detail,
                vec![],
            ),
            AppError::Forbidden(detail) => {
                ApiError::build(StatusCode::FORBIDDEN, "forbidden", t!("无权操作", "Not allowed"), detail, vec![])
            }
            AppError::Csrf => ApiError::build(
                StatusCode::FORBIDDEN,
                "csrf",
                t!("无权操作", "Not allowed"),
                t!(
                    "请求缺少有效的 X-CSRF-Token，请刷新页面后重试。",
                    "The request lacks a valid X-CSRF-Token; reload the page and try again."
                ),
                vec![],
            ),
            AppError::NotFound(detail) => {
                ApiError::build(StatusCode::NOT_FOUND, "not_found", t!("未找到", "Not found"), detail, vec![])
            }
            AppError::Conflict { code, message } => ApiError::build(
                StatusCode::CONFLICT,
                code,
                t!("当前状态不允许此操作", "Not possible now"),
                message,
                vec![],
            ),
            AppError::TooManyRequests { retry_after_secs, message } => {
                let p = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    t!("请求过于频繁", "Too many requests"),
                    message,
                    vec![],
                );
                ApiError::TooManyRequests(Json(p), retry_after_secs.to_string())
            }
            AppError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                internal()
            }
        }
    }
}

fn internal() -> ApiError {
    ApiError::build(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        t!("服务器内部错误", "Internal server error"),
        t!(
            "服务器出现了问题，我们已记录。请稍后再试，如持续出现请联系我们并提供请求编号。",
            "Something went wrong on our side and it has been logged. Try again later; if it persists, contact us with the request id."
        ),
        vec![],
    )
}

/// Turns any error that reached the edge of the service — a framework error (unknown
/// route, wrong method, unreadable body, missing credentials) or a panic — into a problem.
pub fn from_poem_error(err: poem::Error) -> Response {
    let status = err.status();
    let message = err.to_string();
    let response = err.into_response();
    if is_problem(&response) {
        return response;
    }
    let api_error = match status {
        StatusCode::NOT_FOUND => ApiError::build(
            status,
            "not_found",
            t!("未找到", "Not found"),
            t!("没有这个地址。", "There is nothing at this address."),
            vec![],
        ),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::build(
            status,
            "method_not_allowed",
            t!("不支持的请求方法", "Method not allowed"),
            t!("此地址不支持该请求方法。", "This address does not accept that method."),
            vec![],
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::build(
            status,
            "payload_too_large",
            t!("请求内容过大", "Request too large"),
            t!("提交的内容超过了大小限制。", "The request body is larger than the limit."),
            vec![],
        ),
        // Not an operation's documented answer (it comes from the transport), so it is
        // written directly rather than through `ApiError`.
        StatusCode::REQUEST_TIMEOUT => {
            let p = problem(
                status,
                "request_timeout",
                t!("请求超时", "Request timeout"),
                t!("请求内容没有在限定时间内传完，请重试。", "The request body did not arrive in time; try again."),
                vec![],
            );
            return Response::builder()
                .status(status)
                .content_type(PROBLEM_JSON)
                .body(poem_openapi::types::ToJSON::to_json_string(&p));
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::build(
            status,
            "unsupported_media_type",
            t!("不支持的内容类型", "Unsupported media type"),
            t!("请以 application/json 提交。", "Send the body as application/json."),
            vec![],
        ),
        StatusCode::UNAUTHORIZED => ApiError::build(
            status,
            "unauthenticated",
            t!("需要登录", "Sign-in required"),
            t!(
                "请先登录，并在请求中携带 Authorization: Bearer 令牌。",
                "Sign in and send the token as Authorization: Bearer."
            ),
            vec![],
        ),
        s if s.is_client_error() => {
            let (field, reason) = describe_parse_error(&message);
            let errors = field
                .map(|f| {
                    vec![FieldError {
                        field: f,
                        code: "invalid".into(),
                        message: match i18n::current() {
                            Lang::Zh => format!("格式不正确：{reason}"),
                            Lang::En => format!("Not valid: {reason}"),
                        },
                    }]
                })
                .unwrap_or_default();
            ApiError::build(
                StatusCode::BAD_REQUEST,
                "bad_request",
                t!("请求格式有误", "Malformed request"),
                t!("无法读取请求：{reason}", "The request could not be read: {reason}"),
                errors,
            )
        }
        _ => {
            tracing::error!(%status, error = %message, "unhandled error");
            internal()
        }
    };
    api_error.into_response()
}

pub fn is_problem(response: &Response) -> bool {
    response.content_type().is_some_and(|c| c.starts_with(PROBLEM_JSON))
}

/// Pulls the parameter or field name out of poem-openapi's parse messages, e.g.
/// `failed to parse parameter `page`: …` or `parse request payload error: failed to parse "Register": …`.
fn describe_parse_error(message: &str) -> (Option<String>, String) {
    let field = ["parameter `", "field `", "field \""].iter().find_map(|marker| {
        let start = message.find(marker)? + marker.len();
        let rest = &message[start..];
        let end = rest.find(['`', '"'])?;
        Some(rest[..end].to_string())
    });
    (field, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_fields() {
        let (f, _) = describe_parse_error("failed to parse parameter `page`: Type \"integer\" expects an input value.");
        assert_eq!(f.as_deref(), Some("page"));
        let (f, _) = describe_parse_error("parse request payload error: no body");
        assert_eq!(f, None);
    }
}
