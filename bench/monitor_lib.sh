# Shared by bench/monitor and bench/monitor-schedule: the government-like
# page the test sites serve, and readings of a running server (its CPU time,
# RSS and /metrics). Sourced, not run.

now() { date +%s.%N; }
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
metric() { curl -sf "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }
wait_ready() {  # port
  for _ in $(seq 1 400); do curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0; sleep 0.05; done
  echo "the server on port $1 did not become ready" >&2
  return 1
}

# A 15 KB page of a city government, the same on every run (a fixed seed),
# and a security.txt beside it, under DIR.
write_site_page() {  # DIR
  mkdir -p "$1/.well-known"
  python3 - "$1/index.html" <<'PY'
import random, sys
random.seed(20261203)
words = "layanan publik warga kota dinas kesehatan pendidikan perizinan pajak daerah pengumuman berita kegiatan bantuan sosial informasi jadwal pelayanan kantor".split()
news = "".join(f"<article><h2>{' '.join(random.choices(words, k=5)).title()}</h2><p>{' '.join(random.choices(words, k=60))}.</p><a href=\"/berita/{i}\">Selengkapnya</a></article>" for i in range(12))
links = "".join(f"<li><a href=\"/layanan/{w}\">{w.title()}</a></li>" for w in words)
page = f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Pemerintah Kota Contoh</title>
<link rel="stylesheet" href="/css/site.css"><script src="/js/site.js"></script></head><body>
<header><h1>Pemerintah Kota Contoh</h1><nav><ul>{links}</ul></nav></header><main>{news}</main>
<footer><p>Hak cipta 2026 Pemerintah Kota Contoh. Pengunjung hari ini: 10234.</p></footer></body></html>"""
open(sys.argv[1], "w").write(page)
PY
  printf 'Contact: mailto:csirt@contoh.go.id\nExpires: 2099-01-01T00:00:00Z\n' > "$1/.well-known/security.txt"
}
