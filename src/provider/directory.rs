//! The account directory: "which registry is named X, and where?" for the plan-time checks
//! (an identifier to create is free, a listed upstream proxy is linkable, a lifecycle rule's
//! registries exist). One per provider configuration, so one per provider process and
//! account (`context.rs`).
//!
//! Terraform plans every create twice, in the plan walk and again in the apply walk (each in
//! a provider process of its own), and every plan asks about one name or more. A search by
//! name per question is one account-wide list call each. The directory answers the first
//! [`SEARCHES_BEFORE_LISTING`] questions of a process with such a search, and every later one
//! from a single listing of the whole account ([`LISTING_PAGE_SIZE`] a page, sorted by
//! identifier), fetched once and shared: concurrent questions wait for the one fetch. A
//! process so makes at most T + ceil(M'/100) list calls (T the constant, M' the registries
//! the listing returns; an empty account is one page), and exactly that many when it asks
//! more than T questions.
//!
//! The listing is a snapshot. It is only used to *find* names: its "not there" is no proof
//! that a name is free when the create is sent (someone may take it meanwhile; the create's
//! own answer, a 409, is the final word). What this process itself creates or deletes is laid
//! over it ([`Directory::created`], [`Directory::deleted`]), so no check trips on a write of
//! the same apply made after the snapshot was taken.
//!
//! A failed listing is never kept as an answer. Every question waiting for that fetch gets
//! its error (one failure, not one fetch per waiter); the next question after it fetches
//! again, up to [`LISTING_ATTEMPTS`] fetches per process (each already retried by the
//! client's retry policy). After that, questions get the last error without a call: a server
//! that keeps failing costs a process at most T searches and [`LISTING_ATTEMPTS`] listings,
//! never a listing per question, and the plan fails with the API's error.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::api::client::collect_registry_pages;
use crate::api::model::{ListRegistry, RegistryMetadata};
use crate::api::refs::{RegistryRef, Scope};
use crate::api::{self, Client, ListQuery, ListScope};
use crate::provider::locked;

/// A registry found by name somewhere in the account.
pub(crate) type Found = crate::rules::LinkTarget;

/// Questions a process answers with a search by name before it lists the account. A plan
/// that creates or links a handful of names in an account of thousands of registries then
/// costs a handful of small calls, not a full listing; a plan of many names pays this many
/// searches plus one listing. 8 covers the usual small change (a registry, its proxies, a
/// rule) while staying a small constant next to N in a first apply's bound of N + 2·(T + pages) calls
/// (docs/design/product.md, "API calls per operation").
pub(crate) const SEARCHES_BEFORE_LISTING: usize = 8;

/// Registries per page of the listing (the most the API serves in one page).
pub(crate) const LISTING_PAGE_SIZE: u32 = 100;

/// Fetches of the listing one process makes at most when they fail.
pub(crate) const LISTING_ATTEMPTS: usize = 2;

/// One page of the account's registry list: the API call, or a test's fake.
#[async_trait]
pub(crate) trait Pages: Send + Sync {
    async fn page(&self, scope: &Scope, query: &ListQuery) -> Result<ListRegistry, api::Error>;
}

#[async_trait]
impl Pages for Client {
    async fn page(&self, scope: &Scope, query: &ListQuery) -> Result<ListRegistry, api::Error> {
        self.list_registries(scope, query).await
    }
}

/// The account's registries by identifier.
type Listing = HashMap<String, Found>;
/// One fetch of the listing, shared by every question that waits for it.
type Fetch = Arc<OnceCell<Result<Arc<Listing>, api::Error>>>;

pub(crate) struct Directory<P = Client> {
    pages: P,
    account: Scope,
    /// Questions that did not find the listing ready, to pick search or listing.
    questions: AtomicUsize,
    /// Fetches of the listing started.
    fetches: AtomicUsize,
    /// The latest fetch: pending, done, or failed (then replaced by the next question while
    /// fetches remain).
    current: Mutex<Fetch>,
    /// This process's own writes since it started, by identifier: created (`Some`) or
    /// deleted (`None`). Laid over the listing.
    own: Mutex<HashMap<String, Option<Found>>>,
}

/// A listing entry as the checks use it.
pub(crate) fn found(meta: &RegistryMetadata, account: &str) -> Found {
    // `path` is `<scope>/<identifier>`; an older server may leave it empty.
    let reference = RegistryRef::parse(&meta.path)
        .unwrap_or_else(|_| RegistryRef::new(Scope::account(account), meta.identifier.clone()));
    Found {
        reference,
        registry_type: meta.registry_type.clone(),
        package_type: meta.package_type.clone(),
    }
}

impl<P: Pages> Directory<P> {
    pub(crate) fn new(pages: P, account: &str) -> Self {
        Directory {
            pages,
            account: Scope::account(account),
            questions: AtomicUsize::new(0),
            fetches: AtomicUsize::new(0),
            current: Mutex::new(Arc::new(OnceCell::new())),
            own: Mutex::new(HashMap::new()),
        }
    }

    /// The registry named `identifier`, wherever it lives in the account (names are unique
    /// account-wide), as far as this process can tell: see the module comment.
    pub(crate) async fn find(&self, identifier: &str) -> Result<Option<Found>, api::Error> {
        if let Some(listing) = self.ready() {
            return Ok(self.in_listing(&listing, identifier));
        }
        // Counted only here, so the first T questions of a process are always searches and
        // the call count is exact: T searches and one listing once more than T were asked.
        if self.questions.fetch_add(1, Ordering::Relaxed) < SEARCHES_BEFORE_LISTING {
            return self.search(identifier).await;
        }
        let listing = self.listing().await?;
        Ok(self.in_listing(&listing, identifier))
    }

    /// A fresh search by name (one list call, more only if the term matches more than a
    /// page of names), for when a snapshot will not do.
    pub(crate) async fn search(&self, identifier: &str) -> Result<Option<Found>, api::Error> {
        let query = ListQuery {
            search_term: Some(identifier.to_string()),
            scope: Some(ListScope::Descendants),
            ..ListQuery::default()
        };
        let all = self.all_pages(&query).await?;
        Ok(all
            .iter()
            .find(|m| m.identifier == identifier)
            .map(|m| found(m, &self.account.account)))
    }

    /// This process created `f` (laid over the listing).
    pub(crate) fn created(&self, f: Found) {
        locked(&self.own).insert(f.reference.identifier.clone(), Some(f));
    }

    /// This process deleted `r` (laid over the listing).
    pub(crate) fn deleted(&self, r: &RegistryRef) {
        locked(&self.own).insert(r.identifier.clone(), None);
    }

    fn in_listing(&self, listing: &Listing, identifier: &str) -> Option<Found> {
        match locked(&self.own).get(identifier) {
            Some(mine) => mine.clone(),
            None => listing.get(identifier).cloned(),
        }
    }

    fn ready(&self) -> Option<Arc<Listing>> {
        match locked(&self.current).get() {
            Some(Ok(listing)) => Some(Arc::clone(listing)),
            _ => None,
        }
    }

    /// The shared listing: the pending fetch, or a new one if the last failed and fetches
    /// remain, or the last failure.
    async fn listing(&self) -> Result<Arc<Listing>, api::Error> {
        let fetch = {
            let mut current = locked(&self.current);
            if matches!(current.get(), Some(Err(_)))
                && self.fetches.load(Ordering::Relaxed) < LISTING_ATTEMPTS
            {
                *current = Arc::new(OnceCell::new());
            }
            Arc::clone(&current)
        };
        fetch
            .get_or_init(|| async {
                self.fetches.fetch_add(1, Ordering::Relaxed);
                self.fetch().await.map(Arc::new)
            })
            .await
            .clone()
    }

    async fn fetch(&self) -> Result<Listing, api::Error> {
        let query = ListQuery {
            scope: Some(ListScope::Descendants),
            size: Some(LISTING_PAGE_SIZE),
            sort_field: Some("identifier".into()),
            sort_order: Some("ASC".into()),
            ..ListQuery::default()
        };
        let all = match self.all_pages(&query).await {
            Ok(all) => all,
            Err(e) => {
                tracing::debug!(error = %e, "account listing failed");
                return Err(e);
            }
        };
        tracing::debug!(
            account = %self.account,
            registries = all.len(),
            "account listing fetched for the plan-time checks"
        );
        let mut listing = Listing::with_capacity(all.len());
        for m in &all {
            listing
                .entry(m.identifier.clone())
                .or_insert_with(|| found(m, &self.account.account));
        }
        Ok(listing)
    }

    async fn all_pages(&self, query: &ListQuery) -> Result<Vec<RegistryMetadata>, api::Error> {
        let scope = &self.account;
        collect_registry_pages(query, |q| async move { self.pages.page(scope, &q).await }).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use futures_util::future::join_all;

    use super::*;

    /// An account of `names` (UPSTREAM DOCKER at the account, unless in `org_names`), served
    /// page by page like the API, counting every call.
    #[derive(Default)]
    struct Fake {
        names: Vec<String>,
        searches: AtomicUsize,
        pages: AtomicUsize,
        fail: AtomicBool,
        /// Each call yields this often first, so concurrent questions overlap the fetch.
        yields: usize,
        queries: Mutex<Vec<ListQuery>>,
    }

    impl Fake {
        fn with(n: usize) -> Self {
            Fake {
                names: (0..n).map(|i| format!("r{i:05}")).collect(),
                yields: 3,
                ..Fake::default()
            }
        }
        fn calls(&self) -> (usize, usize) {
            (
                self.searches.load(Ordering::SeqCst),
                self.pages.load(Ordering::SeqCst),
            )
        }
    }

    fn meta(name: &str) -> RegistryMetadata {
        let (path, ty) = match name.strip_prefix("org-") {
            Some(_) => (format!("acct/o/{name}"), "VIRTUAL"),
            None => (format!("acct/{name}"), "UPSTREAM"),
        };
        RegistryMetadata {
            identifier: name.into(),
            uuid: String::new(),
            registry_type: ty.into(),
            package_type: "DOCKER".into(),
            description: String::new(),
            url: String::new(),
            labels: vec![],
            last_modified: String::new(),
            path,
            is_public: false,
        }
    }

    #[async_trait]
    impl Pages for Fake {
        async fn page(&self, scope: &Scope, q: &ListQuery) -> Result<ListRegistry, api::Error> {
            assert_eq!(scope, &Scope::account("acct"), "always the whole account");
            assert_eq!(q.scope, Some(ListScope::Descendants));
            locked(&self.queries).push(q.clone());
            for _ in 0..self.yields {
                tokio::task::yield_now().await;
            }
            let matching: Vec<&String> = match &q.search_term {
                Some(t) => {
                    self.searches.fetch_add(1, Ordering::SeqCst);
                    self.names
                        .iter()
                        .filter(|n| n.contains(t.as_str()))
                        .collect()
                }
                None => {
                    self.pages.fetch_add(1, Ordering::SeqCst);
                    self.names.iter().collect()
                }
            };
            if self.fail.load(Ordering::SeqCst) {
                return Err(api::Error::Rejected {
                    status: 503,
                    message: "down".into(),
                });
            }
            let size = q.size.unwrap_or(100) as usize;
            let page = q.page.unwrap_or(0) as usize;
            Ok(ListRegistry {
                item_count: matching.len() as i64,
                page_count: matching.len().div_ceil(size) as i64,
                page_index: page as i64,
                page_size: size as i64,
                registries: matching
                    .iter()
                    .skip(page * size)
                    .take(size)
                    .map(|n| meta(n))
                    .collect(),
            })
        }
    }

    fn dir(fake: Fake) -> Directory<Fake> {
        Directory::new(fake, "acct")
    }

    #[tokio::test]
    async fn the_first_questions_are_searches() {
        let d = dir(Fake::with(250));
        for i in 0..SEARCHES_BEFORE_LISTING {
            let f = d.find(&format!("r{i:05}")).await.unwrap().unwrap();
            assert_eq!(f.reference.to_string(), format!("acct/r{i:05}"));
        }
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 0));
        assert_eq!(d.find("nope").await.unwrap(), None);
        assert_eq!(d.find("other").await.unwrap(), None);
        assert_eq!(
            d.find("r00249").await.unwrap().unwrap().package_type,
            "DOCKER"
        );
        // 250 registries: three pages of 100, once, whatever is asked after.
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 3));
    }

    #[tokio::test]
    async fn concurrent_questions_share_one_listing() {
        let d = dir(Fake::with(120));
        let names: Vec<String> = (0..300).map(|i| format!("r{:05}", i % 150)).collect();
        let answers = join_all(names.iter().map(|n| d.find(n))).await;
        for (n, a) in names.iter().zip(answers) {
            let a = a.unwrap();
            let idx: usize = n[1..].parse().unwrap();
            assert_eq!(a.is_some(), idx < 120, "{n}");
        }
        // T searches, and the 120 registries in two pages, fetched once.
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 2));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn questions_from_many_threads_share_one_listing() {
        let d = Arc::new(dir(Fake::with(330)));
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let d = Arc::clone(&d);
                tokio::spawn(async move { d.find(&format!("r{:05}", i * 2)).await })
            })
            .collect();
        let mut there = 0;
        for t in tasks {
            there += usize::from(t.await.unwrap().unwrap().is_some());
        }
        assert_eq!(there, 165, "r00000, r00002, ..., r00328");
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 4));
    }

    #[tokio::test]
    async fn the_listing_asks_for_the_whole_account_in_pages_of_100_by_identifier() {
        let d = dir(Fake::with(0));
        for i in 0..=SEARCHES_BEFORE_LISTING {
            assert_eq!(d.find(&format!("x{i}")).await.unwrap(), None);
        }
        // An empty account is one page.
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 1));
        let queries = locked(&d.pages.queries).clone();
        let search = &queries[0];
        assert_eq!(search.search_term.as_deref(), Some("x0"));
        let listing = queries.last().unwrap();
        assert_eq!(listing.search_term, None);
        assert_eq!(listing.size, Some(LISTING_PAGE_SIZE));
        assert_eq!(listing.page, Some(0));
        assert_eq!(listing.sort_field.as_deref(), Some("identifier"));
        assert_eq!(listing.sort_order.as_deref(), Some("ASC"));
    }

    #[tokio::test]
    async fn a_few_questions_never_list() {
        let d = dir(Fake::with(10_000));
        for i in 0..SEARCHES_BEFORE_LISTING {
            d.find(&format!("r{i:05}")).await.unwrap();
        }
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 0));
    }

    #[tokio::test]
    async fn a_search_finds_the_exact_name_among_substring_matches() {
        let mut fake = Fake::with(0);
        fake.names = vec!["p1".into(), "p10".into(), "org-p1x".into()];
        let d = dir(fake);
        assert_eq!(d.find("p").await.unwrap(), None);
        assert_eq!(
            d.find("p1").await.unwrap().unwrap().reference.to_string(),
            "acct/p1"
        );
        let org = d.find("org-p1x").await.unwrap().unwrap();
        assert_eq!(org.reference.to_string(), "acct/o/org-p1x");
        assert_eq!(org.registry_type, "VIRTUAL");
    }

    #[tokio::test]
    async fn own_writes_are_laid_over_the_listing() {
        let d = dir(Fake::with(5));
        for i in 0..=SEARCHES_BEFORE_LISTING {
            d.find(&format!("q{i}")).await.unwrap();
        }
        assert_eq!(d.pages.calls().1, 1, "the listing is there now");
        let mine = Found {
            reference: RegistryRef::parse("acct/o/mine").unwrap(),
            registry_type: "VIRTUAL".into(),
            package_type: "HELM".into(),
        };
        assert_eq!(d.find("mine").await.unwrap(), None);
        d.created(mine.clone());
        assert_eq!(d.find("mine").await.unwrap(), Some(mine));
        d.deleted(&RegistryRef::parse("acct/r00001").unwrap());
        assert_eq!(d.find("r00001").await.unwrap(), None);
        assert!(d.find("r00002").await.unwrap().is_some());
        assert_eq!(d.pages.calls().1, 1, "all from the one listing");
    }

    #[tokio::test]
    async fn a_failed_listing_is_shared_retried_once_then_answered_without_a_call() {
        let fake = Fake::with(3);
        fake.fail.store(true, Ordering::SeqCst);
        let d = dir(fake);
        // Searches fail on their own.
        let first =
            join_all((0..SEARCHES_BEFORE_LISTING).map(|i| d.find(["r00000", "x"][i % 2]))).await;
        assert!(first.iter().all(Result::is_err));
        // 50 concurrent questions wait for one fetch and all get its error.
        let wave = join_all((0..50).map(|_| d.find("r00001"))).await;
        assert!(
            wave.iter()
                .all(|r| matches!(r, Err(api::Error::Rejected { .. })))
        );
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 1));
        // The next question fetches again (the failure was not kept as an answer)...
        assert!(d.find("r00001").await.is_err());
        assert_eq!(d.pages.calls().1, LISTING_ATTEMPTS);
        // ...and once the fetches are spent, questions get the last error, no call.
        for _ in 0..100 {
            assert!(d.find("r00001").await.is_err());
        }
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, LISTING_ATTEMPTS));
    }

    #[tokio::test]
    async fn a_failed_listing_is_not_kept_when_the_next_fetch_works() {
        let fake = Fake::with(3);
        let d = dir(fake);
        for i in 0..SEARCHES_BEFORE_LISTING {
            d.find(&format!("s{i}")).await.unwrap();
        }
        d.pages.fail.store(true, Ordering::SeqCst);
        assert!(d.find("r00001").await.is_err());
        d.pages.fail.store(false, Ordering::SeqCst);
        assert!(d.find("r00001").await.unwrap().is_some());
        assert!(d.find("r00002").await.unwrap().is_some());
        assert_eq!(d.pages.calls(), (SEARCHES_BEFORE_LISTING, 2));
    }
}
