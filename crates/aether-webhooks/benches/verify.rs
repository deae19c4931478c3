//! Throughput of `signature::verify` against `ring`'s HMAC-SHA256 verification, measured in the
//! same run so that the ratio holds on a noisy shared machine.
//!
//! Run with `cargo bench -p aether-webhooks --bench verify`; `scripts/bench-core.sh` runs it
//! three times and prints the ratios from Criterion's estimates.

use core::hint::black_box;

use aether_webhooks::{WebhookSecret, signature};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SIZES: [(&str, usize); 3] = [("1KiB", 1 << 10), ("64KiB", 1 << 16), ("1MiB", 1 << 20)];

fn body_of(length: usize) -> Vec<u8> {
    br#"{"event":"post.published","data":{"text":"benchmark"}}"#.iter().copied().cycle().take(length).collect()
}

fn verify_throughput(criterion: &mut Criterion) {
    let secret = WebhookSecret::parse(SECRET).expect("the benchmark secret is valid");
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET.as_bytes());

    for (label, length) in SIZES {
        let body = body_of(length);
        let header = signature::sign(&secret, &body);
        let tag = signature::compute_mac(&secret, &body);

        let mut group = criterion.benchmark_group(format!("verify/{label}"));
        group.throughput(Throughput::Bytes(length as u64));

        group.bench_function("aether", |bencher| {
            bencher.iter(|| signature::verify(&secret, black_box(&body), black_box(&header)));
        });
        group.bench_function("ring", |bencher| {
            bencher.iter(|| ring::hmac::verify(&ring_key, black_box(&body), black_box(&tag)));
        });

        group.finish();
    }
}

criterion_group!(benches, verify_throughput);
criterion_main!(benches);
