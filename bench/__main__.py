"""`make bench`: every benchmark in turn, figures on stdout."""

from __future__ import annotations

from bench import (
    bench_agency_lookup,
    bench_channels,
    bench_chat,
    bench_helpdesk,
    bench_scale,
    bench_security,
    bench_training,
    bench_vacancies,
)


def main() -> None:
    """Run all benchmarks."""
    print("== agency lookup over a generated 100,000-agency registry ==")
    bench_agency_lookup.main()
    print(f"\n== vacancies: import and search over a generated {bench_vacancies.SIZE:,}-row feed ==")
    bench_vacancies.main()
    print("\n== training ==")
    bench_training.main()
    print("\n== help desk: dashboard pages and staff API on a busy desk ==")
    bench_helpdesk.main()
    print("\n== security review doors: JSON pre-check, masking, a 2,000-line conversation ==")
    bench_security.main()
    print("\n== chat through the real stack (demo data) ==")
    bench_chat.main()
    print("\n== Telegram and WhatsApp through the real stack (webhook -> reply accepted by a fake API) ==")
    bench_channels.main()
    print("\n== capacity: embedded vs PostgreSQL + Redis vs two Rasa servers; load runs; long conversations ==")
    bench_scale.main()


if __name__ == "__main__":
    main()
