export default function Home() {
  return (
    <main>
      <h1>Aether webhooks receiver</h1>
      <p>
        Deliveries are received at <code>POST /api/webhooks/aether</code> and verified with the
        secret in <code>AETHER_WEBHOOK_SECRET</code>.
      </p>
    </main>
  );
}
