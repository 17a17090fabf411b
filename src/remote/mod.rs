//! The store and remote triple stores: pushing graphs with the SPARQL 1.1
//! Graph Store HTTP Protocol, over a client that authenticates and retries.

pub mod client;
pub mod push;

pub use client::{Credentials, RemoteClient, RetryPolicy};
pub use push::{push, PushConfig, PushReport};
