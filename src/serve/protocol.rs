//! The SPARQL 1.1 Protocol's request forms, read into one [`Operation`]:
//! GET with `query`, POST of a form (`query` or `update`), POST of an
//! `application/sparql-query` or `application/sparql-update` body.

use oxigraph::model::NamedNode;

use super::{HttpRequest, Status};

/// What a request to the SPARQL endpoint asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    Query(QueryRequest),
    Update(String),
    /// A GET with neither query nor update: the service description.
    Describe,
}

/// A query with its protocol dataset and requested format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryRequest {
    pub text: String,
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
    /// A `format` parameter, which overrides `Accept`.
    pub format: Option<String>,
}

/// A request the protocol does not allow, with its HTTP status.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: Status,
    pub message: String,
}

fn refuse(status: Status, message: impl Into<String>) -> Refusal {
    Refusal { status, message: message.into() }
}

/// The media type of a `Content-Type` header, without parameters, lower case.
pub fn bare_media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Reads the operation of a request to the endpoint.
pub fn read_operation(request: &HttpRequest) -> Result<Operation, Refusal> {
    let mut params: Vec<(String, String)> = form_urlencoded::parse(request.query_string.as_bytes()).into_owned().collect();
    let mut body_text = None;
    let mut body_is_update = false;
    match request.method.as_str() {
        "GET" | "HEAD" => {}
        "POST" => {
            let content_type = request.content_type.as_deref().map(bare_media_type).unwrap_or_default();
            match content_type.as_str() {
                "application/x-www-form-urlencoded" => params.extend(form_urlencoded::parse(&request.body).into_owned()),
                "application/sparql-query" | "application/sparql-update" => {
                    body_is_update = content_type == "application/sparql-update";
                    let text = String::from_utf8(request.body.clone())
                        .map_err(|_| refuse(Status::BadRequest, "the request body is not valid UTF-8"))?;
                    body_text = Some(text);
                }
                "" => return Err(refuse(Status::UnsupportedMediaType, "a POST needs a Content-Type: application/sparql-query, application/sparql-update or application/x-www-form-urlencoded")),
                other => {
                    return Err(refuse(
                        Status::UnsupportedMediaType,
                        format!("unsupported Content-Type {other}: use application/sparql-query, application/sparql-update or application/x-www-form-urlencoded"),
                    ))
                }
            }
        }
        other => return Err(refuse(Status::MethodNotAllowed, format!("{other} is not supported here: use GET or POST"))),
    }

    let values = |name: &str| -> Vec<&str> { params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect() };
    let single = |name: &str| -> Result<Option<String>, Refusal> {
        match values(name).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some((*one).to_owned())),
            _ => Err(refuse(Status::BadRequest, format!("the parameter {name} is given more than once"))),
        }
    };
    let iris = |name: &str| -> Result<Vec<NamedNode>, Refusal> {
        values(name)
            .into_iter()
            .map(|v| NamedNode::new(v).map_err(|e| refuse(Status::BadRequest, format!("{name} {v:?} is not an IRI: {e}"))))
            .collect()
    };

    let query = single("query")?;
    let update = single("update")?;
    let (query, update) = match body_text {
        Some(text) if body_is_update => (query, Some(text)),
        Some(text) => (Some(text), update),
        None => (query, update),
    };
    match (query, update) {
        (Some(_), Some(_)) => Err(refuse(Status::BadRequest, "a request carries a query or an update, not both")),
        (Some(text), None) => Ok(Operation::Query(QueryRequest {
            text,
            default_graphs: iris("default-graph-uri")?,
            named_graphs: iris("named-graph-uri")?,
            format: single("format")?,
        })),
        (None, Some(_)) if request.method != "POST" => {
            Err(refuse(Status::BadRequest, "an update must be sent with POST"))
        }
        (None, Some(text)) => {
            if !values("using-graph-uri").is_empty() || !values("using-named-graph-uri").is_empty() {
                return Err(refuse(Status::BadRequest, "using-graph-uri and using-named-graph-uri are not supported: put USING in the update"));
            }
            Ok(Operation::Update(text))
        }
        (None, None) if request.method == "POST" => Err(refuse(Status::BadRequest, "the request has neither a query nor an update")),
        (None, None) => Ok(Operation::Describe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, query_string: &str, content_type: Option<&str>, body: &str) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            path: "/sparql".into(),
            query_string: query_string.into(),
            content_type: content_type.map(Into::into),
            body: body.as_bytes().to_vec(),
            ..HttpRequest::default()
        }
    }

    fn query_text(op: Result<Operation, Refusal>) -> String {
        match op {
            Ok(Operation::Query(q)) => q.text,
            other => panic!("expected a query, got {other:?}"),
        }
    }

    #[test]
    fn the_three_query_forms_give_the_same_query() {
        let q = "SELECT * WHERE { ?s ?p ?o }";
        let encoded: String = form_urlencoded::Serializer::new(String::new()).append_pair("query", q).finish();
        assert_eq!(query_text(read_operation(&request("GET", &encoded, None, ""))), q);
        assert_eq!(query_text(read_operation(&request("POST", "", Some("application/x-www-form-urlencoded"), &encoded))), q);
        assert_eq!(query_text(read_operation(&request("POST", "", Some("application/sparql-query; charset=utf-8"), q))), q);
    }

    #[test]
    fn dataset_parameters_are_read_and_checked() {
        let op = read_operation(&request("GET", "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa&named-graph-uri=http%3A%2F%2Fb", None, ""));
        let Ok(Operation::Query(q)) = op else { panic!("{op:?}") };
        assert_eq!(q.default_graphs, vec![NamedNode::new("http://a").unwrap()]);
        assert_eq!(q.named_graphs, vec![NamedNode::new("http://b").unwrap()]);
        let bad = read_operation(&request("GET", "query=ASK%7B%7D&default-graph-uri=not%20an%20iri", None, "")).unwrap_err();
        assert_eq!(bad.status, Status::BadRequest);
    }

    #[test]
    fn updates_need_post_and_ambiguity_is_refused() {
        assert!(matches!(read_operation(&request("POST", "", Some("application/sparql-update"), "CLEAR ALL")), Ok(Operation::Update(_))));
        assert_eq!(read_operation(&request("GET", "update=CLEAR%20ALL", None, "")).unwrap_err().status, Status::BadRequest);
        assert_eq!(read_operation(&request("GET", "query=a&query=b", None, "")).unwrap_err().status, Status::BadRequest);
        assert_eq!(read_operation(&request("POST", "", Some("text/plain"), "x")).unwrap_err().status, Status::UnsupportedMediaType);
        assert_eq!(read_operation(&request("GET", "", None, "")), Ok(Operation::Describe));
        assert_eq!(read_operation(&request("DELETE", "", None, "")).unwrap_err().status, Status::MethodNotAllowed);
    }
}
