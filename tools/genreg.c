/*
 * genreg: write a large synthetic steward registry (and optionally
 * observations) for benchmarks and stress tests.
 *
 *   genreg OUTDIR NODES EDGES [SEED] [--observations FILE N]
 *
 * OUTDIR gets part-0000.json, part-0001.json, ... (at most 5000 nodes each,
 * one node per line, kinds mixed across files); any part-NNNN.json already in
 * OUTDIR is removed first, so a smaller run never leaves stale duplicates.
 * The registry is valid: ids are unique across files and kinds, and every
 * reference (owner, uses, reads, writes, feeds, depends_on) names a defined
 * id. Output depends only on the arguments (xorshift64 seeded from SEED,
 * default 1). Node, edge and byte counts go to stderr.
 *
 * Kind mix: owners ~2%, systems ~1%, datasets ~12%, models ~5%, workflows the
 * rest. Model popularity is skewed (a few models serve thousands of
 * workflows). Feeds go to higher-index workflows (a DAG of short chains);
 * about 1 workflow in 2000 also feeds back to one of its feeders, making a
 * 2-cycle. Workflow fields (stage, volume, decision, task, baseline,
 * monitoring, override, escalation, process) are filled with varied
 * completeness so the policy packs have something to find.
 *
 * Build: cc -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Wpedantic -Wshadow
 *        -Werror -o build/genreg tools/genreg.c
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define PER_FILE 5000u
#define NONE UINT32_MAX

/* ------------------------------------------------------------------ rng */

static uint64_t rng_state;

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static uint64_t xs_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void xs_seed(uint64_t *s, uint64_t seed)
{
    *s = splitmix64(seed);
    if (*s == 0)
        *s = 0x2545F4914F6CDD1Dull;
}

static uint64_t rnd(void) { return xs_next(&rng_state); }
static double rndu(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static uint32_t rndn(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }
/* skewed index in [0,n): small indices are much more likely */
static uint32_t rnd_skew(uint32_t n, int power)
{
    double u = rndu(), v = u;
    for (int i = 1; i < power; i++)
        v *= u;
    uint32_t k = (uint32_t)(v * n);
    return k < n ? k : n - 1;
}

/* per-node stream for descriptive fields: independent of generation order */
static uint64_t node_rng;
static void node_seed(uint64_t seed, uint32_t g) { xs_seed(&node_rng, seed * 0x100000001B3ull ^ ((uint64_t)g << 20) ^ g); }
static uint32_t nr(uint32_t n) { return n ? (uint32_t)(xs_next(&node_rng) % n) : 0; }
static double nu(void) { return (double)(xs_next(&node_rng) >> 11) * (1.0 / 9007199254740992.0); }
static int nchance(double p) { return nu() < p; }

/* ---------------------------------------------------------------- model */

enum { K_OWNER, K_SYSTEM, K_DATASET, K_MODEL, K_WORKFLOW, K_COUNT };
static const char *const section_name[K_COUNT] = { "owners", "systems", "datasets", "models", "workflows" };
static const char *const id_prefix[K_COUNT] = { "own", "sys", "ds", "mdl", "wf" };

static uint32_t n_nodes, kind_start[K_COUNT + 1];

typedef struct {
    uint32_t off, n;
} span;

/* reference pool: global node indices, with a flag byte per entry */
static uint32_t *pool;
static uint8_t *pflag;
static size_t pool_len, pool_cap;

enum { U_PINNED = 1, U_OLD = 2, U_VALID = 4 }; /* flags on uses */
enum { R_MISMATCH = 1 };                        /* flag on model reads */

static uint32_t *owner_of;                      /* per node, NONE for owners */
static span *sp_uses, *sp_reads, *sp_writes, *sp_feeds, *sp_deps; /* per node */
static uint8_t *ds_schema;                      /* per dataset (local index) */
static uint8_t (*mdl_ver)[3];                   /* per model (local index) */
static uint32_t *vf_off, *vf_list;              /* validated_for CSR per model */

static unsigned long long n_edges[6];
enum { E_OWNER, E_USES, E_READS, E_WRITES, E_FEEDS, E_DEPS };
static const char *const edge_name[6] = { "owner", "uses", "reads", "writes", "feeds", "depends_on" };
static unsigned long long n_backfeeds;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("genreg: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p)
        die("out of memory");
    return p;
}

static void pool_push(uint32_t v, uint8_t flag)
{
    if (pool_len == pool_cap) {
        pool_cap = pool_cap ? pool_cap * 2 : 1u << 20;
        pool = realloc(pool, pool_cap * sizeof *pool);
        pflag = realloc(pflag, pool_cap);
        if (!pool || !pflag)
            die("out of memory");
    }
    pool[pool_len] = v;
    pflag[pool_len] = flag;
    pool_len++;
}

/* push v onto the span being built at sp unless already there */
static int span_add(span *sp, uint32_t v, uint8_t flag)
{
    for (uint32_t i = 0; i < sp->n; i++)
        if (pool[sp->off + i] == v)
            return 0;
    pool_push(v, flag);
    sp->n++;
    return 1;
}

static void span_begin(span *sp)
{
    sp->off = (uint32_t)pool_len;
    sp->n = 0;
}

static int kind_of(uint32_t g)
{
    int k = 0;
    while (g >= kind_start[k + 1])
        k++;
    return k;
}

static uint32_t kcount(int k) { return kind_start[k + 1] - kind_start[k]; }

/* ----------------------------------------------------------- generation */

static void generate(unsigned long long edges_wanted)
{
    uint32_t no = kcount(K_OWNER), ns = kcount(K_SYSTEM), nd = kcount(K_DATASET);
    uint32_t nm = kcount(K_MODEL), nw = kcount(K_WORKFLOW);
    uint32_t ds0 = kind_start[K_DATASET], m0 = kind_start[K_MODEL], w0 = kind_start[K_WORKFLOW];

    owner_of = xcalloc(n_nodes, sizeof *owner_of);
    sp_uses = xcalloc(n_nodes, sizeof(span));
    sp_reads = xcalloc(n_nodes, sizeof(span));
    sp_writes = xcalloc(n_nodes, sizeof(span));
    sp_feeds = xcalloc(n_nodes, sizeof(span));
    sp_deps = xcalloc(n_nodes, sizeof(span));
    ds_schema = xcalloc(nd, 1);
    mdl_ver = xcalloc(nm, sizeof *mdl_ver);

    /* budget: mandatory refs, then spread the rest */
    unsigned long long mandatory = (unsigned long long)(n_nodes - no) + nm + 2ull * nw;
    double rest = edges_wanted > mandatory ? (double)(edges_wanted - mandatory) : 0.0;
    double m_extra = rest / ((double)nw + nm);
    if (m_extra > 1.5)
        m_extra = 1.5;
    rest -= m_extra * nm;
    double w_extra = rest > 0 ? rest / nw : 0.0;

    /* owners of everything else: teams and a few busy people own a lot */
    for (uint32_t g = 0; g < n_nodes; g++) {
        if (g < kind_start[K_SYSTEM]) {
            owner_of[g] = NONE;
            continue;
        }
        owner_of[g] = rnd_skew(no, 2);
        n_edges[E_OWNER]++;
    }
    for (uint32_t i = 0; i < nd; i++)
        ds_schema[i] = (uint8_t)(1 + rndn(9));

    /* models: version, reads 1 + ~m_extra datasets */
    for (uint32_t i = 0; i < nm; i++) {
        uint32_t g = m0 + i;
        mdl_ver[i][0] = (uint8_t)(1 + rndn(6));
        mdl_ver[i][1] = (uint8_t)rndn(10);
        mdl_ver[i][2] = (uint8_t)rndn(10);
        uint32_t want = 1 + (uint32_t)(m_extra * 2 * rndu() + 0.5);
        if (want > 4)
            want = 4;
        span_begin(&sp_reads[g]);
        while (sp_reads[g].n < want && sp_reads[g].n < nd)
            span_add(&sp_reads[g], ds0 + rndn(nd), rndu() < 0.03 ? R_MISMATCH : 0);
        n_edges[E_READS] += sp_reads[g].n;
    }

    /* workflows */
    uint32_t *feeder = xcalloc(nw, sizeof *feeder);
    for (uint32_t i = 0; i < nw; i++)
        feeder[i] = NONE;
    uint32_t *vf_count = xcalloc(nm + 1, sizeof *vf_count);

    for (uint32_t i = 0; i < nw; i++) {
        uint32_t g = w0 + i;
        /* optional budget k, split across categories with caps */
        uint32_t k = (uint32_t)w_extra + (rndu() < w_extra - (uint32_t)w_extra ? 1u : 0u);
        uint32_t x_uses = 0, x_reads = 0, x_writes = 0, x_feeds = 0, x_deps = 0;
        static const double wt[5] = { 0.4, 1.0, 1.0, 0.5, 0.05 };
        static const uint32_t cap[5] = { 1, 2, 2, 3, 2 };
        uint32_t *cnt[5] = { &x_uses, &x_reads, &x_writes, &x_feeds, &x_deps };
        for (uint32_t u = 0; u < k; u++) {
            double tot = 0;
            for (int c = 0; c < 5; c++)
                if (*cnt[c] < cap[c])
                    tot += wt[c];
            if (tot == 0)
                break;
            double r = rndu() * tot;
            for (int c = 0; c < 5; c++) {
                if (*cnt[c] >= cap[c])
                    continue;
                if (r < wt[c] || c == 4) {
                    (*cnt[c])++;
                    break;
                }
                r -= wt[c];
            }
        }

        /* uses: 1-2 models, popularity heavily skewed */
        span_begin(&sp_uses[g]);
        uint32_t nuse = 1 + x_uses;
        for (uint32_t tries = 0; sp_uses[g].n < nuse && tries < 8; tries++) {
            uint32_t m = rnd_skew(nm, 3);
            double r = rndu();
            uint8_t f = r < 0.10 ? 0 : r < 0.15 ? (U_PINNED | U_OLD) : U_PINNED;
            if (rndu() < 0.92)
                f |= U_VALID;
            if (span_add(&sp_uses[g], m0 + m, f) && (f & U_VALID))
                vf_count[m]++;
        }
        n_edges[E_USES] += sp_uses[g].n;

        /* reads: often what its first model reads, then others */
        span_begin(&sp_reads[g]);
        uint32_t nread = 1 + x_reads;
        span mr = sp_reads[pool[sp_uses[g].off]];
        if (rndu() < 0.6)
            span_add(&sp_reads[g], pool[mr.off + rndn(mr.n)], 0);
        for (uint32_t tries = 0; sp_reads[g].n < nread && tries < 8; tries++)
            span_add(&sp_reads[g], ds0 + rnd_skew(nd, 2), 0);
        n_edges[E_READS] += sp_reads[g].n;

        span_begin(&sp_writes[g]);
        for (uint32_t tries = 0; sp_writes[g].n < x_writes && tries < 8; tries++)
            span_add(&sp_writes[g], rndu() < 0.8 ? kind_start[K_SYSTEM] + rnd_skew(ns, 2) : ds0 + rndn(nd), 0);
        n_edges[E_WRITES] += sp_writes[g].n;

        /* feeds: forward to nearby higher-index workflows; rarely back */
        span_begin(&sp_feeds[g]);
        uint32_t ahead = nw - i - 1;
        uint32_t window = ahead < 64 ? ahead : 64;
        for (uint32_t tries = 0; window && sp_feeds[g].n < x_feeds && tries < 8; tries++) {
            uint32_t j = i + 1 + rndn(window);
            if (span_add(&sp_feeds[g], w0 + j, 0))
                feeder[j] = i;
        }
        if (feeder[i] != NONE && rndn(800) == 0 && span_add(&sp_feeds[g], w0 + feeder[i], 0))
            n_backfeeds++;
        n_edges[E_FEEDS] += sp_feeds[g].n;

        span_begin(&sp_deps[g]);
        for (uint32_t tries = 0; sp_deps[g].n < x_deps && tries < 8; tries++)
            span_add(&sp_deps[g], rndu() < 0.7 ? kind_start[K_SYSTEM] + rndn(ns) : ds0 + rndn(nd), 0);
        n_edges[E_DEPS] += sp_deps[g].n;
    }
    free(feeder);

    /* validated_for lists (CSR, workflows in index order) */
    vf_off = xcalloc(nm + 1, sizeof *vf_off);
    for (uint32_t m = 0; m < nm; m++)
        vf_off[m + 1] = vf_off[m] + vf_count[m];
    vf_list = xcalloc(vf_off[nm], sizeof *vf_list);
    memset(vf_count, 0, (nm + 1) * sizeof *vf_count);
    for (uint32_t i = 0; i < nw; i++) {
        span s = sp_uses[w0 + i];
        for (uint32_t k = 0; k < s.n; k++)
            if (pflag[s.off + k] & U_VALID) {
                uint32_t m = pool[s.off + k] - m0;
                vf_list[vf_off[m] + vf_count[m]++] = w0 + i;
            }
    }
    free(vf_count);
}

/* -------------------------------------------------------------- output */

static FILE *out_fp;
static unsigned long long out_bytes;

static void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(out_fp, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("write failed: %s", strerror(errno));
    out_bytes += (unsigned long long)n;
}

static void out_s(const char *s)
{
    if (fputs(s, out_fp) == EOF)
        die("write failed: %s", strerror(errno));
    out_bytes += strlen(s);
}

static const char *id_of(uint32_t g)
{
    static char buf[4][32];
    static int slot;
    int k = kind_of(g);
    char *b = buf[slot++ & 3];
    snprintf(b, sizeof buf[0], "%s-%06u", id_prefix[k], g - kind_start[k]);
    return b;
}

static void out_id_list(const char *field, span s)
{
    out(",\"%s\":[", field);
    for (uint32_t i = 0; i < s.n; i++)
        out("%s\"%s\"", i ? "," : "", id_of(pool[s.off + i]));
    out_s("]");
}

/* days since 2024-01-01 -> YYYY-MM-DD */
static const char *date_str(int days)
{
    static char buf[4][32];
    static int slot;
    char *b = buf[slot++ & 3];
    int y = 2024, m = 1;
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    for (;;) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int yd = 365 + leap;
        if (days < yd)
            break;
        days -= yd;
        y++;
    }
    for (;;) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int md = mdays[m - 1] + (m == 2 && leap);
        if (days < md)
            break;
        days -= md;
        m++;
    }
    snprintf(b, sizeof buf[0], "%04d-%02d-%02d", y, m, days + 1);
    return b;
}
#define D_2025_01_01 366
#define D_2026_02_01 762
#define D_2026_11_26 1060

static const char *const first_names[] = { "maria", "james", "priya", "tom", "grace", "nadia", "li", "sofia",
                                           "daniel", "aisha", "ben", "omar", "elena", "kofi", "yuki", "lucas" };
static const char *const last_names[] = { "chen", "okafor", "raman", "becker", "liu", "petrova", "wei", "alvarez",
                                          "kim", "mensah", "harris", "haddad", "rossi", "boateng", "sato", "silva" };
static const char *const areas[] = { "sales", "finance", "support", "risk", "marketing",
                                     "logistics", "procurement", "hr", "legal", "operations" };
static const char *const area_titles[] = { "Sales", "Finance", "Support", "Risk", "Marketing",
                                           "Logistics", "Procurement", "HR", "Legal", "Operations" };
static const char *const tasks[] = { "lead scoring", "invoice coding", "ticket triage", "reply drafting",
                                     "refund approval", "fraud screening", "credit review", "churn outreach",
                                     "demand forecasting", "route planning", "contract review", "expense audit",
                                     "payment matching", "candidate screening", "price recommendation",
                                     "inventory replenishment" };
static const char *const sys_types[] = { "crm", "erp", "helpdesk", "warehouse", "payments", "email", "hris", "wms",
                                         "external-api" };
static const char *const classes[] = { "public", "internal", "internal", "confidential", "confidential", "pii",
                                       "restricted" };
static const char *const accesses[] = { "api", "api", "api", "warehouse", "warehouse", "file-export", "manual" };
static const char *const stages[] = { "proposed", "governance", "data", "redesign",
                                      "deployment", "measurement", "scaling", "retired" };
static const int stage_w[] = { 5, 5, 10, 10, 30, 20, 15, 5 };
static const char *const deliveries[] = { "automated", "assistive", "batch" };

typedef struct {
    const char *name;
    double lo, hi;
    int above; /* alert when value goes above the threshold */
} metric_def;
static const metric_def metrics[] = {
    { "accuracy", 0.80, 0.97, 0 },        { "match_rate", 0.90, 0.99, 0 },  { "acceptance_rate", 0.55, 0.85, 0 },
    { "precision", 0.70, 0.95, 0 },       { "recall", 0.65, 0.92, 0 },      { "forecast_mape", 0.03, 0.15, 1 },
    { "cycle_time_days", 1.0, 10.0, 1 },  { "defect_rate", 0.005, 0.05, 1 },
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t g_seed;

/* descriptive attributes of a workflow, from its own stream */
typedef struct {
    int stage, deployed_day, metric;
    double base;
} wf_attr;

static wf_attr wf_attrs(uint32_t g)
{
    wf_attr a;
    node_seed(g_seed, g);
    int r = (int)nr(100), s = 0;
    while (r >= stage_w[s]) {
        r -= stage_w[s];
        s++;
    }
    a.stage = s;
    a.deployed_day = (s >= 4) ? (int)(D_2025_01_01 - 200 + nr(D_2026_11_26 - 30 - D_2025_01_01 + 200)) : -1;
    a.metric = (int)nr(NMETRICS);
    const metric_def *md = &metrics[a.metric];
    a.base = md->lo + (md->hi - md->lo) * nu();
    return a;
}

static void write_owner(uint32_t g)
{
    node_seed(g_seed, g);
    if (nchance(0.7)) {
        const char *f = first_names[nr(NELEM(first_names))], *l = last_names[nr(NELEM(last_names))];
        out("{\"name\":\"%c%s %c%s\",\"type\":\"person\",\"contact\":\"%s.%s.%u@example.com\"}", f[0] - 32, f + 1,
            l[0] - 32, l + 1, f, l, g);
    } else {
        uint32_t ai = nr(NELEM(areas));
        out("{\"name\":\"%s team %u\",\"type\":\"team\",\"contact\":\"%s-%u@example.com\"}", area_titles[ai], g,
            areas[ai], g);
    }
}

static void write_system(uint32_t g)
{
    node_seed(g_seed, g);
    const char *t = sys_types[nr(NELEM(sys_types))];
    out("{\"name\":\"%s %u\",\"type\":\"%s\",\"owner\":\"%s\"}", t, g - kind_start[K_SYSTEM], t, id_of(owner_of[g]));
}

static void write_dataset(uint32_t g)
{
    node_seed(g_seed, g);
    uint32_t i = g - kind_start[K_DATASET];
    out("{\"owner\":\"%s\",\"schema_version\":\"%u\",\"classification\":\"%s\",\"access\":\"%s\"", id_of(owner_of[g]),
        ds_schema[i], classes[nr(NELEM(classes))], accesses[nr(NELEM(accesses))]);
    if (nchance(0.93))
        out(",\"quality\":{\"completeness\":%.3f,\"validated_at\":\"%s\"}", 0.70 + 0.30 * nu(),
            date_str((int)(D_2025_01_01 + nr(D_2026_11_26 - D_2025_01_01))));
    out_s("}");
}

static void write_model(uint32_t g)
{
    node_seed(g_seed, g);
    uint32_t i = g - kind_start[K_MODEL];
    out("{\"owner\":\"%s\",\"version\":\"%u.%u.%u\",\"validated_for\":[", id_of(owner_of[g]), mdl_ver[i][0],
        mdl_ver[i][1], mdl_ver[i][2]);
    for (uint32_t k = vf_off[i]; k < vf_off[i + 1]; k++)
        out("%s\"%s\"", k > vf_off[i] ? "," : "", id_of(vf_list[k]));
    out_s("]");
    span s = sp_reads[g];
    out_id_list("reads", s);
    out_s(",\"input_schema\":{");
    for (uint32_t k = 0; k < s.n; k++) {
        uint32_t d = pool[s.off + k];
        unsigned v = ds_schema[d - kind_start[K_DATASET]];
        if (pflag[s.off + k] & R_MISMATCH)
            v = v > 1 ? v - 1 : v + 1;
        out("%s\"%s\":\"%u\"", k ? "," : "", id_of(d), v);
    }
    out_s("}");
    if (nchance(0.9))
        out(",\"data_governance\":{\"approved_by\":\"%s\",\"retention_days\":%u,\"access_audited\":%s}",
            id_of(nr(kcount(K_OWNER))), 30 + 30 * nr(24),
            nchance(0.85) ? "true" : "false");
    out_s("}");
}

static void write_workflow(uint32_t g)
{
    wf_attr a = wf_attrs(g); /* seeds node_rng; keep drawing from it below */
    const metric_def *md = &metrics[a.metric];
    int early = a.stage < 2; /* proposed / governance: sparse */
    int live = a.stage >= 2 && a.stage <= 6;

    out("{\"owner\":\"%s\",\"name\":\"%s %s %u\",\"stage\":\"%s\"", id_of(owner_of[g]), areas[nr(NELEM(areas))],
        tasks[nr(NELEM(tasks))], g - kind_start[K_WORKFLOW], stages[a.stage]);
    if (a.deployed_day >= 0)
        out(",\"deployed_at\":\"%s\"", date_str(a.deployed_day));

    span s = sp_uses[g];
    out_s(",\"uses\":[");
    for (uint32_t k = 0; k < s.n; k++) {
        uint32_t m = pool[s.off + k], mi = m - kind_start[K_MODEL];
        uint8_t f = pflag[s.off + k];
        if (k)
            out_s(",");
        if (!(f & U_PINNED))
            out("\"%s\"", id_of(m));
        else if (f & U_OLD)
            out("{\"model\":\"%s\",\"version\":\"%u.%u.0\"}", id_of(m),
                mdl_ver[mi][0] > 1 ? mdl_ver[mi][0] - 1u : 0u, mdl_ver[mi][0] > 1 ? mdl_ver[mi][1] : 9u);
        else
            out("{\"model\":\"%s\",\"version\":\"%u.%u.%u\"}", id_of(m), mdl_ver[mi][0], mdl_ver[mi][1],
                mdl_ver[mi][2]);
    }
    out_s("]");
    out_id_list("reads", sp_reads[g]);
    if (sp_writes[g].n)
        out_id_list("writes", sp_writes[g]);
    if (sp_feeds[g].n)
        out_id_list("feeds", sp_feeds[g]);
    if (sp_deps[g].n)
        out_id_list("depends_on", sp_deps[g]);

    if (nchance(0.95)) {
        double u = nu();
        out(",\"volume\":{\"cases_per_month\":%u}", 5u + (unsigned)(120000.0 * u * u * u * u * u * u));
    }
    if (nchance(0.95)) {
        unsigned st = nr(10);
        const char *stakes = st < 4 ? "low" : st < 8 ? "medium" : "high";
        out(",\"decision\":{\"stakes\":\"%s\",\"reversible\":%s,\"human_in_loop\":%s}", stakes,
            nchance(st >= 8 ? 0.75 : 0.95) ? "true" : "false", nchance(0.7) ? "true" : "false");
    }
    if (nchance(early ? 0.5 : 0.85))
        out(",\"task\":{\"inputs\":[\"case record\",\"history\"],\"outputs\":[\"%s\"],"
            "\"quality_criteria\":\"%s within %.0f%% of reviewed sample\"}",
            nchance(0.5) ? "recommendation" : "score", md->name, 100 * (md->hi - md->lo) / 2);
    if (nchance(early ? 0.4 : 0.8))
        out(",\"baseline\":{\"metric\":\"%s\",\"value\":%.3f,\"measured_at\":\"%s\"}", md->name, a.base,
            date_str(a.deployed_day >= 0 ? a.deployed_day - 20 : (int)(D_2025_01_01 + nr(600))));

    if (nchance(early ? 0.3 : 0.88)) {
        double thr = md->above ? a.base * 1.25 : a.base * 0.9;
        out(",\"monitoring\":{\"metric\":\"%s\"", md->name);
        if (nchance(0.96))
            out(",\"baseline\":%.3f", a.base);
        if (nchance(0.93))
            out(",\"alert_threshold\":%.3f", thr);
        static const unsigned cad[] = { 7, 7, 14, 30 }, samp[] = { 14, 30, 30, 60 };
        out(",\"direction\":\"%s\",\"automated\":%s,\"cadence_days\":%u,\"sampling_days\":%u}",
            md->above ? "above" : "below", nchance(0.9) ? "true" : "false", cad[nr(4)], samp[nr(4)]);
    }
    if (nchance(early ? 0.3 : 0.86)) {
        out(",\"override\":{\"documented\":%s", nchance(0.95) ? "true" : "false");
        if (nchance(0.93))
            out(",\"tested_at\":\"%s\"", date_str(nchance(0.85) ? (int)(D_2026_11_26 - 5 - nr(350))
                                                                   : (int)(D_2025_01_01 - 120 + nr(450))));
        out(",\"requires_admin\":%s}", nchance(0.1) ? "true" : "false");
    }
    if (nchance(early ? 0.3 : 0.83)) {
        static const unsigned hours[] = { 1, 4, 8, 24, 48 };
        out_s(",\"escalation\":{");
        int first = 1;
        if (nchance(0.95)) {
            out("\"contact\":\"%s\"", id_of(nr(kcount(K_OWNER))));
            first = 0;
        }
        out("%s\"response_hours\":%u", first ? "" : ",", hours[nr(5)]);
        if (nchance(0.88))
            out_s(",\"fallback\":\"manual process\"");
        out_s("}");
    }
    if (live || nchance(0.5))
        out(",\"process\":{\"ai_output_required\":%s,\"delivery\":\"%s\"}", nchance(0.4) ? "true" : "false",
            deliveries[nr(3)]);
    out_s("}");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void mkdir_p(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        die("bad output directory '%s'", path);
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                die("cannot create %s: %s", buf, strerror(errno));
            buf[i] = c;
        }
    }
}

static void clean_parts(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die("cannot open %s: %s", dir, strerror(errno));
    struct dirent *e;
    char path[4200];
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (strlen(nm) == 14 && strncmp(nm, "part-", 5) == 0 && strcmp(nm + 9, ".json") == 0 &&
            strspn(nm + 5, "0123456789") == 4) {
            snprintf(path, sizeof path, "%s/%s", dir, nm);
            if (unlink(path) != 0)
                die("cannot remove %s: %s", path, strerror(errno));
        }
    }
    closedir(d);
}

static unsigned write_registry(const char *dir)
{
    mkdir_p(dir);
    clean_parts(dir);
    uint32_t *perm = xcalloc(n_nodes, sizeof *perm);
    for (uint32_t i = 0; i < n_nodes; i++)
        perm[i] = i;
    for (uint32_t i = n_nodes - 1; i > 0; i--) {
        uint32_t j = rndn(i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    unsigned nfiles = 0;
    char path[4200];
    for (uint32_t start = 0; start < n_nodes; start += PER_FILE, nfiles++) {
        uint32_t cnt = n_nodes - start < PER_FILE ? n_nodes - start : PER_FILE;
        uint32_t *chunk = perm + start;
        qsort(chunk, cnt, sizeof *chunk, cmp_u32);
        snprintf(path, sizeof path, "%s/part-%04u.json", dir, nfiles);
        out_fp = fopen(path, "w");
        if (!out_fp)
            die("cannot write %s: %s", path, strerror(errno));
        out_s("{");
        int cur = -1;
        for (uint32_t i = 0; i < cnt; i++) {
            uint32_t g = chunk[i];
            int k = kind_of(g);
            if (k != cur) {
                out("%s\"%s\":{\n", cur < 0 ? "" : "\n},", section_name[k]);
                cur = k;
            } else {
                out_s(",\n");
            }
            out("\"%s\":", id_of(g));
            switch (k) {
            case K_OWNER: write_owner(g); break;
            case K_SYSTEM: write_system(g); break;
            case K_DATASET: write_dataset(g); break;
            case K_MODEL: write_model(g); break;
            default: write_workflow(g); break;
            }
        }
        out_s("\n}}\n");
        if (fclose(out_fp) != 0)
            die("cannot write %s: %s", path, strerror(errno));
    }
    free(perm);
    return nfiles;
}

/* one observation per line, sorted by date, Feb to late Nov 2026 */
static void write_observations(const char *path, unsigned long long n)
{
    uint32_t m0 = kind_start[K_MODEL], nm = kcount(K_MODEL);
    uint32_t w0 = kind_start[K_WORKFLOW], nw = kcount(K_WORKFLOW);
    /* deployed workflows: the subjects of most observations */
    uint32_t *live = xcalloc(nw, sizeof *live), nlive = 0;
    for (uint32_t i = 0; i < nw; i++) {
        wf_attr a = wf_attrs(w0 + i);
        if (a.stage >= 4 && a.stage <= 6)
            live[nlive++] = w0 + i;
    }
    if (nlive == 0)
        live[nlive++] = w0;

    out_fp = fopen(path, "w");
    if (!out_fp)
        die("cannot write %s: %s", path, strerror(errno));
    int span_days = D_2026_11_26 - D_2026_02_01;
    for (unsigned long long i = 0; i < n; i++) {
        const char *at = date_str(D_2026_02_01 + (int)(i * (unsigned long long)span_days / (n ? n : 1)));
        uint32_t r = rndn(100);
        uint32_t w = live[rnd_skew(nlive, 2)];
        if (r < 30) {
            wf_attr a = wf_attrs(w);
            const metric_def *md = &metrics[a.metric];
            double v = a.base * (0.9 + 0.2 * rndu());
            out("{\"at\":\"%s\",\"subject\":\"%s\",\"metric\":\"%s\",\"value\":%.4f}\n", at, id_of(w), md->name, v);
        } else if (r < 42) {
            out("{\"at\":\"%s\",\"subject\":\"%s\",\"metric\":\"adherence\",\"value\":%.3f}\n", at, id_of(w),
                0.4 + 0.58 * rndu());
        } else if (r < 48) {
            out("{\"at\":\"%s\",\"subject\":\"%s\",\"metric\":\"quality_score\",\"value\":%.3f}\n", at, id_of(w),
                0.7 + 0.29 * rndu());
        } else if (r < 56) {
            double u = rndu();
            out("{\"at\":\"%s\",\"subject\":\"%s\",\"metric\":\"psi\",\"value\":%.3f}\n", at,
                id_of(m0 + rnd_skew(nm, 3)), 0.35 * u * u * u);
        } else if (r < 64) {
            double u = rndu();
            out("{\"at\":\"%s\",\"subject\":\"%s\",\"metric\":\"error_rate\",\"value\":%.4f}\n", at,
                id_of(m0 + rnd_skew(nm, 3)), 0.09 * u * u * u);
        } else if (r < 80) {
            span s = sp_uses[w];
            uint32_t m = pool[s.off + rndn(s.n)];
            if (rndn(200) == 0)
                out("{\"at\":\"%s\",\"kind\":\"usage\",\"model\":\"%s\",\"caller\":\"pricing-experiment\","
                    "\"count\":%u}\n", at, id_of(m), 10 + rndn(5000));
            else
                out("{\"at\":\"%s\",\"kind\":\"usage\",\"model\":\"%s\",\"caller\":\"%s\",\"count\":%u}\n", at,
                    id_of(m), id_of(w), 1 + rndn(40000));
        } else if (r < 96) {
            uint32_t of = 50 + rndn(30000);
            double rate = rndn(20) == 0 ? 0.0 : rndn(10) == 0 ? 0.3 * rndu() + 0.2 : 0.12 * rndu();
            out("{\"at\":\"%s\",\"kind\":\"override\",\"subject\":\"%s\",\"count\":%u,\"of\":%u}\n", at, id_of(w),
                (uint32_t)(rate * of), of);
        } else {
            static const char *const sev[] = { "low", "medium", "medium", "high", "critical" };
            out("{\"at\":\"%s\",\"kind\":\"incident\",\"subject\":\"%s\",\"severity\":\"%s\","
                "\"note\":\"synthetic incident %llu\"}\n", at, rndn(4) ? id_of(w) : id_of(m0 + rnd_skew(nm, 3)),
                sev[rndn(5)], i);
        }
    }
    if (fclose(out_fp) != 0)
        die("cannot write %s: %s", path, strerror(errno));
    free(live);
}

static void usage(FILE *f)
{
    fputs("usage: genreg OUTDIR NODES EDGES [SEED] [--observations FILE N]\n"
          "  writes OUTDIR/part-NNNN.json (a registry of NODES nodes and about EDGES references)\n"
          "  and, with --observations, N JSON Lines observations to FILE\n",
          f);
}

static unsigned long long parse_num(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        fprintf(stderr, "genreg: %s must be a non-negative integer, not '%s'\n", what, s);
        usage(stderr);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *pos[4] = { 0 }, *obs_file = NULL;
    unsigned long long obs_n = 0;
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--observations") == 0) {
            if (i + 2 >= argc) {
                fputs("genreg: --observations needs FILE and N\n", stderr);
                usage(stderr);
                return 2;
            }
            obs_file = argv[++i];
            obs_n = parse_num(argv[++i], "N");
        } else if (npos < 4) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "genreg: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (npos < 3) {
        usage(stderr);
        return 2;
    }
    unsigned long long nodes = parse_num(pos[1], "NODES");
    unsigned long long edges = parse_num(pos[2], "EDGES");
    g_seed = npos > 3 ? parse_num(pos[3], "SEED") : 1;
    if (nodes < 20 || nodes > 50000000ull) {
        fputs("genreg: NODES must be between 20 and 50000000\n", stderr);
        return 2;
    }
    xs_seed(&rng_state, g_seed);

    n_nodes = (uint32_t)nodes;
    uint32_t cnt[K_COUNT];
    cnt[K_OWNER] = n_nodes * 2 / 100 ? n_nodes * 2 / 100 : 1;
    cnt[K_SYSTEM] = n_nodes / 100 ? n_nodes / 100 : 1;
    cnt[K_DATASET] = n_nodes * 12 / 100 ? n_nodes * 12 / 100 : 1;
    cnt[K_MODEL] = n_nodes * 5 / 100 ? n_nodes * 5 / 100 : 1;
    cnt[K_WORKFLOW] = n_nodes - cnt[K_OWNER] - cnt[K_SYSTEM] - cnt[K_DATASET] - cnt[K_MODEL];
    kind_start[0] = 0;
    for (int k = 0; k < K_COUNT; k++)
        kind_start[k + 1] = kind_start[k] + cnt[k];

    generate(edges);
    unsigned nfiles = write_registry(pos[0]);
    unsigned long long reg_bytes = out_bytes;

    unsigned long long total = 0;
    for (int e = 0; e < 6; e++)
        total += n_edges[e];
    fprintf(stderr, "genreg: %u nodes (owners %u, systems %u, datasets %u, models %u, workflows %u)\n", n_nodes,
            cnt[K_OWNER], cnt[K_SYSTEM], cnt[K_DATASET], cnt[K_MODEL], cnt[K_WORKFLOW]);
    fprintf(stderr, "genreg: %llu edges (", total);
    for (int e = 0; e < 6; e++)
        fprintf(stderr, "%s%s %llu", e ? ", " : "", edge_name[e], n_edges[e]);
    fprintf(stderr, "; %llu back-feeds), %llu requested\n", n_backfeeds, edges);
    fprintf(stderr, "genreg: %llu bytes in %u files under %s\n", reg_bytes, nfiles, pos[0]);
    if (obs_file) {
        write_observations(obs_file, obs_n);
        fprintf(stderr, "genreg: %llu observations, %llu bytes in %s\n", obs_n, out_bytes - reg_bytes, obs_file);
    }
    free(pool);
    free(pflag);
    return 0;
}
