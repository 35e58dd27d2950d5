/*
 * test_graph.c - the graph (core/graph.c): nodes and ids, duplicate edges,
 * CSR rows, breadth-first walks in the directions a change propagates,
 * shortest paths, strongly connected components (also on a chain long
 * enough to overflow a recursive implementation) and the walker's stamps.
 *
 * Graphs are built directly over an st_doc, without the registry loader.
 */
#include "graph.h"
#include "t.h"

#include <stdint.h>
#include <stdlib.h>

typedef struct {
    st_doc doc;
    st_graph g;
} fixture;

static void fx_init(fixture *f)
{
    st_doc_init(&f->doc);
    st_graph_init(&f->g, &f->doc);
}

static void fx_free(fixture *f)
{
    st_graph_free(&f->g);
    st_doc_free(&f->doc);
}

static uint32_t node(fixture *f, const char *id, st_kind kind)
{
    uint32_t atom = st_doc_intern(&f->doc, id, strlen(id));
    uint32_t n = st_graph_add_node(&f->g, atom, kind, ST_VAL_ABSENT, 0, NULL);
    if (n == ST_NODE_NONE)
        T_FAILF("node '%s' refused", id);
    return n;
}

static uint32_t find(const fixture *f, const char *id)
{
    return st_graph_find(&f->g, id, strlen(id));
}

/* Does the out row of src hold (dst, rel)? */
static int has_out(const st_graph *g, uint32_t src, uint32_t dst, st_rel rel)
{
    for (uint32_t e = st_graph_out_begin(g, src); e < st_graph_out_end(g, src); e++)
        if (g->out_dst[e] == dst && g->out_rel[e] == rel) return 1;
    return 0;
}

static int has_in(const st_graph *g, uint32_t dst, uint32_t src, st_rel rel)
{
    for (uint32_t e = st_graph_in_begin(g, dst); e < st_graph_in_end(g, dst); e++)
        if (g->in_src[e] == src && g->in_rel[e] == rel) return 1;
    return 0;
}

/*
 * The organization used by most tests:
 *
 *   owner O owns model M and workflow W1
 *   model M reads dataset D
 *   workflows W1 and W2 use M; W1 also reads D
 *   upstream workflow U feeds W1; W1 feeds W3; W3 writes system S
 */
enum { O, D, M, W1, W2, W3, S, U, NORG };

static void org(fixture *f)
{
    fx_init(f);
    static const char *const ids[NORG] = {"O", "D", "M", "W1", "W2", "W3", "S", "U"};
    static const st_kind kinds[NORG] = {
        ST_KIND_OWNER, ST_KIND_DATASET, ST_KIND_MODEL, ST_KIND_WORKFLOW,
        ST_KIND_WORKFLOW, ST_KIND_WORKFLOW, ST_KIND_SYSTEM, ST_KIND_WORKFLOW};
    for (int i = 0; i < NORG; i++)
        T_EQ_INT(node(f, ids[i], kinds[i]), i);
    st_graph *g = &f->g;
    st_graph_add_edge(g, M, O, ST_REL_OWNER);
    st_graph_add_edge(g, W1, O, ST_REL_OWNER);
    st_graph_add_edge(g, M, D, ST_REL_READS);
    st_graph_add_edge(g, W1, M, ST_REL_USES);
    st_graph_add_edge(g, W2, M, ST_REL_USES);
    st_graph_add_edge(g, W1, D, ST_REL_READS);
    st_graph_add_edge(g, U, W1, ST_REL_FEEDS);
    st_graph_add_edge(g, W1, W3, ST_REL_FEEDS);
    st_graph_add_edge(g, W3, S, ST_REL_WRITES);
    st_graph_freeze(g);
}

static void test_names(void)
{
    T_EQ_STR(st_kind_section(ST_KIND_WORKFLOW), "workflows");
    T_EQ_STR(st_kind_name(ST_KIND_DATASET), "dataset");
    T_EQ_STR(st_rel_name(ST_REL_DEPENDS_ON), "depends_on");
    T_EQ_INT(st_kind_parse("owners"), ST_KIND_OWNER);
    T_EQ_INT(st_kind_parse("model"), ST_KIND_MODEL);
    T_EQ_INT(st_kind_parse("waivers"), -1);
    T_EQ_INT(st_kind_parse("Models"), -1);
    T_EQ_INT(st_rel_parse("feeds"), ST_REL_FEEDS);
    T_EQ_INT(st_rel_parse("feed"), -1);
}

static void test_nodes_and_ids(void)
{
    fixture f;
    fx_init(&f);
    uint32_t a = node(&f, "lead-scorer", ST_KIND_MODEL);
    uint32_t b = node(&f, "maria.chen", ST_KIND_OWNER);
    T_EQ_INT(a, 0);
    T_EQ_INT(b, 1);

    /* The same id again, even as another kind, is refused. */
    uint32_t atom = st_doc_intern(&f.doc, "lead-scorer", 11), existing = 99;
    T_EQ_INT(st_graph_add_node(&f.g, atom, ST_KIND_WORKFLOW, ST_VAL_ABSENT, 3,
                               &existing), ST_NODE_NONE);
    T_EQ_INT(existing, a);
    T_EQ_INT(st_graph_add_node(&f.g, atom, ST_KIND_MODEL, ST_VAL_ABSENT, 0,
                               NULL), ST_NODE_NONE);
    T_EQ_INT(f.g.nnodes, 2);
    T_EQ_INT(f.g.nodes[a].kind, ST_KIND_MODEL);

    /* Atoms that are strings but not nodes are not found. */
    st_doc_intern(&f.doc, "just-a-string", 13);
    st_graph_freeze(&f.g);
    T_EQ_INT(find(&f, "lead-scorer"), a);
    T_EQ_INT(find(&f, "maria.chen"), b);
    T_EQ_INT(find(&f, "just-a-string"), ST_NODE_NONE);
    T_EQ_INT(find(&f, "never-interned"), ST_NODE_NONE);
    T_EQ_INT(st_graph_find(&f.g, "lead-scorerX", 11), a);   /* len counts */
    T_EQ_STR(st_graph_id(&f.g, b), "maria.chen");
    T_EQ_INT(f.g.kind_count[ST_KIND_MODEL], 1);
    T_EQ_INT(f.g.kind_count[ST_KIND_OWNER], 1);
    T_EQ_INT(f.g.kind_count[ST_KIND_WORKFLOW], 0);
    T_EQ_INT(f.g.nedges, 0);
    T_EQ_INT(st_graph_out_end(&f.g, a) - st_graph_out_begin(&f.g, a), 0);
    fx_free(&f);
}

static void test_many_atoms(void)
{
    /* Atom numbers far beyond the first map size still map to nodes. */
    fixture f;
    fx_init(&f);
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "filler-%d", i);
        st_doc_intern(&f.doc, id, strlen(id));
    }
    uint32_t n = node(&f, "late", ST_KIND_SYSTEM);
    st_graph_freeze(&f.g);
    T_EQ_INT(find(&f, "late"), n);
    T_EQ_INT(find(&f, "filler-4999"), ST_NODE_NONE);
    T_EQ_INT(f.g.kind_count[ST_KIND_SYSTEM], 1);
    T_EQ_INT(f.g.kind_nodes[ST_KIND_SYSTEM][0], n);
    fx_free(&f);
}

static void test_duplicate_edges(void)
{
    fixture f;
    fx_init(&f);
    uint32_t w = node(&f, "w", ST_KIND_WORKFLOW), d = node(&f, "d", ST_KIND_DATASET);
    st_graph_add_edge(&f.g, w, d, ST_REL_READS);
    st_graph_add_edge(&f.g, w, d, ST_REL_WRITES);     /* other rel: kept */
    st_graph_add_edge(&f.g, w, d, ST_REL_READS);      /* exact repeat */
    st_graph_add_edge(&f.g, w, d, ST_REL_READS);
    st_graph_add_edge(&f.g, d, w, ST_REL_READS);      /* reverse: kept */
    st_graph_freeze(&f.g);
    T_EQ_INT(f.g.nedges, 3);
    T_EQ_INT(st_graph_out_end(&f.g, w) - st_graph_out_begin(&f.g, w), 2);
    T_EQ_INT(st_graph_in_end(&f.g, d) - st_graph_in_begin(&f.g, d), 2);
    T_EQ_INT(st_graph_out_end(&f.g, d) - st_graph_out_begin(&f.g, d), 1);
    T_CHECK(has_out(&f.g, w, d, ST_REL_READS));
    T_CHECK(has_out(&f.g, w, d, ST_REL_WRITES));
    T_CHECK(has_in(&f.g, d, w, ST_REL_READS));
    T_CHECK(has_in(&f.g, d, w, ST_REL_WRITES));
    T_CHECK(has_in(&f.g, w, d, ST_REL_READS));
    T_CHECK(f.g.pending == NULL);
    fx_free(&f);
}

static void test_rows(void)
{
    fixture f;
    org(&f);
    const st_graph *g = &f.g;
    T_EQ_INT(g->nedges, 9);
    T_EQ_INT(g->out_off[NORG], 9);
    T_EQ_INT(g->in_off[NORG], 9);

    /* W1: owner O, uses M, reads D, feeds W3. */
    T_EQ_INT(st_graph_out_end(g, W1) - st_graph_out_begin(g, W1), 4);
    T_CHECK(has_out(g, W1, O, ST_REL_OWNER));
    T_CHECK(has_out(g, W1, M, ST_REL_USES));
    T_CHECK(has_out(g, W1, D, ST_REL_READS));
    T_CHECK(has_out(g, W1, W3, ST_REL_FEEDS));
    /* W1 is fed by U. */
    T_EQ_INT(st_graph_in_end(g, W1) - st_graph_in_begin(g, W1), 1);
    T_CHECK(has_in(g, W1, U, ST_REL_FEEDS));
    /* M is used by W1 and W2. */
    T_EQ_INT(st_graph_in_end(g, M) - st_graph_in_begin(g, M), 2);
    T_CHECK(has_in(g, M, W1, ST_REL_USES));
    T_CHECK(has_in(g, M, W2, ST_REL_USES));
    /* O owns M and W1 and points nowhere. */
    T_EQ_INT(st_graph_in_end(g, O) - st_graph_in_begin(g, O), 2);
    T_EQ_INT(st_graph_out_end(g, O) - st_graph_out_begin(g, O), 0);
    /* D is read by M and W1. */
    T_CHECK(has_in(g, D, M, ST_REL_READS));
    T_CHECK(has_in(g, D, W1, ST_REL_READS));
    /* S: one in-edge, nothing out. */
    T_EQ_INT(st_graph_in_end(g, S) - st_graph_in_begin(g, S), 1);
    T_EQ_INT(st_graph_out_end(g, S) - st_graph_out_begin(g, S), 0);

    /* Every row is sorted as the header promises: out rows by (rel, dst),
     * in rows by src. */
    for (uint32_t n = 0; n < NORG; n++) {
        for (uint32_t e = st_graph_out_begin(g, n) + 1; e < st_graph_out_end(g, n); e++)
            T_CHECK(g->out_rel[e - 1] < g->out_rel[e] ||
                    (g->out_rel[e - 1] == g->out_rel[e] &&
                     g->out_dst[e - 1] < g->out_dst[e]));
        for (uint32_t e = st_graph_in_begin(g, n) + 1; e < st_graph_in_end(g, n); e++)
            T_CHECK(g->in_src[e - 1] <= g->in_src[e]);
    }

    T_EQ_INT(g->kind_count[ST_KIND_WORKFLOW], 4);
    T_EQ_INT(g->kind_nodes[ST_KIND_WORKFLOW][0], W1);
    T_EQ_INT(g->kind_nodes[ST_KIND_WORKFLOW][1], W2);
    T_EQ_INT(g->kind_nodes[ST_KIND_WORKFLOW][2], W3);
    T_EQ_INT(g->kind_nodes[ST_KIND_WORKFLOW][3], U);
    T_EQ_INT(g->kind_count[ST_KIND_OWNER], 1);
    T_EQ_INT(g->kind_count[ST_KIND_DATASET], 1);
    T_EQ_INT(g->kind_count[ST_KIND_MODEL], 1);
    T_EQ_INT(g->kind_count[ST_KIND_SYSTEM], 1);
    fx_free(&f);
}

static void test_self_loop(void)
{
    fixture f;
    fx_init(&f);
    uint32_t a = node(&f, "a", ST_KIND_WORKFLOW), b = node(&f, "b", ST_KIND_WORKFLOW);
    st_graph_add_edge(&f.g, a, a, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, b, a, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, b, b, ST_REL_DEPENDS_ON);
    st_graph_freeze(&f.g);
    T_CHECK(st_graph_self_loop(&f.g, a, ST_REL_BIT(ST_REL_FEEDS)));
    T_CHECK(st_graph_self_loop(&f.g, a, ST_REL_ALL));
    T_CHECK(!st_graph_self_loop(&f.g, a, ST_REL_BIT(ST_REL_USES)));
    T_CHECK(!st_graph_self_loop(&f.g, b, ST_REL_BIT(ST_REL_FEEDS)));
    T_CHECK(st_graph_self_loop(&f.g, b, ST_REL_BIT(ST_REL_DEPENDS_ON)));
    fx_free(&f);
}

/* The nodes a walk reached, as a bit set over the org's node numbers. */
static unsigned reached(const st_walker *w)
{
    unsigned set = 0;
    for (size_t i = 0; i < w->nqueue; i++) set |= 1u << w->queue[i];
    return set;
}

#define BIT(n) (1u << (n))

static void test_walk_propagation(void)
{
    fixture f;
    org(&f);
    st_walker w;
    st_walker_init(&w, &f.g);

    /* A model change reaches the workflows that use it, the workflow W1
     * feeds and the system W3 writes; never the owner, the dataset the
     * model reads, or the workflow U upstream of W1. */
    uint32_t start = M;
    size_t n = st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
    T_EQ_INT(n, 5);
    T_EQ_INT(w.nqueue, 5);
    T_EQ_INT(reached(&w), BIT(M) | BIT(W1) | BIT(W2) | BIT(W3) | BIT(S));
    T_CHECK(!st_walker_seen(&w, O));
    T_CHECK(!st_walker_seen(&w, D));
    T_CHECK(!st_walker_seen(&w, U));
    T_EQ_INT(w.queue[0], M);
    T_EQ_INT(w.dist[M], 0);
    T_EQ_INT(w.via[M], ST_NODE_NONE);
    T_EQ_INT(w.dist[W1], 1);
    T_EQ_INT(w.via[W1], M);
    T_EQ_INT(w.via_rel[W1], ST_REL_USES);
    T_EQ_INT(w.dist[W2], 1);
    T_EQ_INT(w.via[W2], M);
    T_EQ_INT(w.dist[W3], 2);
    T_EQ_INT(w.via[W3], W1);
    T_EQ_INT(w.via_rel[W3], ST_REL_FEEDS);
    T_EQ_INT(w.dist[S], 3);
    T_EQ_INT(w.via[S], W3);
    T_EQ_INT(w.via_rel[S], ST_REL_WRITES);
    /* BFS order: distances never decrease along the queue. */
    for (size_t i = 1; i < w.nqueue; i++)
        T_CHECK(w.dist[w.queue[i - 1]] <= w.dist[w.queue[i]]);

    /* A dataset change reaches its readers (M and W1), then M's users. */
    start = D;
    n = st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
    T_EQ_INT(n, 6);
    T_EQ_INT(reached(&w), BIT(D) | BIT(M) | BIT(W1) | BIT(W2) | BIT(W3) | BIT(S));
    T_EQ_INT(w.dist[W1], 1);
    T_EQ_INT(w.via[W1], D);
    T_EQ_INT(w.via_rel[W1], ST_REL_READS);
    T_EQ_INT(w.dist[W2], 2);
    T_EQ_INT(w.via[W2], M);
    T_EQ_INT(w.dist[W3], 2);
    T_CHECK(!st_walker_seen(&w, O));
    T_CHECK(!st_walker_seen(&w, U));

    /* Owner edges are never followed, even from the owner. */
    start = O;
    n = st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
    T_EQ_INT(n, 1);
    T_EQ_INT(reached(&w), BIT(O));

    /* Masks are honoured: against feeds only, from W3 back to U. */
    start = W3;
    n = st_graph_walk(&w, &start, 1, 0, ST_REL_BIT(ST_REL_FEEDS), -1);
    T_EQ_INT(n, 3);
    T_EQ_INT(reached(&w), BIT(W3) | BIT(W1) | BIT(U));
    T_EQ_INT(w.dist[U], 2);
    /* No mask at all: only the start. */
    n = st_graph_walk(&w, &start, 1, 0, 0, -1);
    T_EQ_INT(n, 1);
    st_walker_free(&w);
    fx_free(&f);
}

static void test_walk_depth_and_starts(void)
{
    fixture f;
    org(&f);
    st_walker w;
    st_walker_init(&w, &f.g);
    uint32_t start = M;
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, 0), 1);
    T_EQ_INT(reached(&w), BIT(M));
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, 1), 3);
    T_EQ_INT(reached(&w), BIT(M) | BIT(W1) | BIT(W2));
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, 2), 4);
    T_EQ_INT(reached(&w), BIT(M) | BIT(W1) | BIT(W2) | BIT(W3));
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, 3), 5);

    /* Several starts, one repeated: each is at distance 0, counted once. */
    uint32_t starts[] = {U, W2, U};
    size_t n = st_graph_walk(&w, starts, 3, ST_REL_BIT(ST_REL_FEEDS), 0, -1);
    T_EQ_INT(n, 4);
    T_EQ_INT(reached(&w), BIT(U) | BIT(W2) | BIT(W1) | BIT(W3));
    T_EQ_INT(w.queue[0], U);
    T_EQ_INT(w.queue[1], W2);
    T_EQ_INT(w.dist[U], 0);
    T_EQ_INT(w.dist[W2], 0);
    T_EQ_INT(w.via[W2], ST_NODE_NONE);
    T_EQ_INT(w.dist[W3], 2);

    /* No starts: nothing reached. */
    T_EQ_INT(st_graph_walk(&w, starts, 0, ST_REL_ALL, ST_REL_ALL, -1), 0);
    T_CHECK(!st_walker_seen(&w, U));
    st_walker_free(&w);
    fx_free(&f);
}

static void test_walker_reuse(void)
{
    fixture f;
    org(&f);
    st_walker w;
    st_walker_init(&w, &f.g);
    uint32_t start = M;
    st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
    T_CHECK(st_walker_seen(&w, W2));

    /* A second walk forgets the first: W2 and M are not reached now. */
    start = U;
    size_t n = st_graph_walk(&w, &start, 1, ST_REL_BIT(ST_REL_FEEDS), 0, -1);
    T_EQ_INT(n, 3);
    T_EQ_INT(reached(&w), BIT(U) | BIT(W1) | BIT(W3));
    T_CHECK(!st_walker_seen(&w, W2));
    T_CHECK(!st_walker_seen(&w, M));
    T_EQ_INT(w.dist[W1], 1);           /* not the 1 of the first walk by luck: */
    T_EQ_INT(w.via[W1], U);            /* it was reached from M then */
    T_EQ_INT(w.dist[W3], 2);

    /* And the first walk again gives the first answer. */
    start = M;
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1), 5);
    T_EQ_INT(w.via[W1], M);
    T_CHECK(!st_walker_seen(&w, U));

    /* The stamp wraps after 2^32 walks: the scratch is cleared then, so a
     * node stamped 1 long ago does not look reached when the stamp comes
     * round to 1 again. A fresh walker, so that M's stamp is exactly 1. */
    st_walker wrap;
    st_walker_init(&wrap, &f.g);
    start = M;
    st_graph_walk(&wrap, &start, 1, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
    T_EQ_INT(wrap.cur, 1);
    wrap.cur = UINT32_MAX;
    start = U;
    T_EQ_INT(st_graph_walk(&wrap, &start, 1, 0, 0, -1), 1);
    T_EQ_INT(wrap.cur, 1);
    T_CHECK(st_walker_seen(&wrap, U));
    T_CHECK(!st_walker_seen(&wrap, M));
    T_CHECK(!st_walker_seen(&wrap, W1));
    T_CHECK(!st_walker_seen(&wrap, O));
    st_walker_free(&wrap);

    /* Two walkers on one graph are independent. */
    st_walker w2;
    st_walker_init(&w2, &f.g);
    start = S;
    T_EQ_INT(st_graph_walk(&w2, &start, 1, 0, 0, -1), 1);
    T_CHECK(st_walker_seen(&w, W2));   /* w's last walk, from M */
    T_CHECK(st_walker_seen(&w, S));
    T_CHECK(st_walker_seen(&w2, S));
    T_CHECK(!st_walker_seen(&w2, M));
    st_walker_free(&w2);
    st_walker_free(&w);
    fx_free(&f);
}

static void test_path(void)
{
    fixture f;
    org(&f);
    st_walker w;
    st_walker_init(&w, &f.g);
    uint32_t *p = NULL;
    unsigned down = ST_REL_BIT(ST_REL_FEEDS) | ST_REL_BIT(ST_REL_WRITES);

    size_t n = st_graph_path(&w, U, S, down, &p);
    T_EQ_INT(n, 4);
    if (n == 4 && p) {
        T_EQ_INT(p[0], U); T_EQ_INT(p[1], W1); T_EQ_INT(p[2], W3); T_EQ_INT(p[3], S);
    }
    free(p);

    /* Unreachable: against the edges, or along rels not in the mask. */
    p = (uint32_t *)&n;
    T_EQ_INT(st_graph_path(&w, S, U, down, &p), 0);
    T_CHECK(p == NULL);
    T_EQ_INT(st_graph_path(&w, U, S, ST_REL_BIT(ST_REL_FEEDS), &p), 0);
    T_CHECK(p == NULL);

    /* From a node to itself: one node. */
    n = st_graph_path(&w, W2, W2, down, &p);
    T_EQ_INT(n, 1);
    if (n == 1 && p) T_EQ_INT(p[0], W2);
    free(p);
    st_walker_free(&w);
    fx_free(&f);
}

static void test_shortest_path(void)
{
    /* a → b → c → e is longer than a → d → e; also a → e by depends_on,
     * which the mask leaves out. */
    fixture f;
    fx_init(&f);
    uint32_t a = node(&f, "a", ST_KIND_WORKFLOW), b = node(&f, "b", ST_KIND_WORKFLOW),
             c = node(&f, "c", ST_KIND_WORKFLOW), d = node(&f, "d", ST_KIND_WORKFLOW),
             e = node(&f, "e", ST_KIND_WORKFLOW);
    st_graph_add_edge(&f.g, a, b, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, b, c, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, c, e, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, a, d, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, d, e, ST_REL_FEEDS);
    st_graph_add_edge(&f.g, a, e, ST_REL_DEPENDS_ON);
    st_graph_add_edge(&f.g, e, a, ST_REL_FEEDS);       /* a cycle back */
    st_graph_freeze(&f.g);
    st_walker w;
    st_walker_init(&w, &f.g);
    uint32_t *p = NULL;
    size_t n = st_graph_path(&w, a, e, ST_REL_BIT(ST_REL_FEEDS), &p);
    T_EQ_INT(n, 3);
    if (n == 3 && p) { T_EQ_INT(p[0], a); T_EQ_INT(p[1], d); T_EQ_INT(p[2], e); }
    free(p);
    n = st_graph_path(&w, a, e, ST_REL_ALL, &p);
    T_EQ_INT(n, 2);
    if (n == 2 && p) { T_EQ_INT(p[0], a); T_EQ_INT(p[1], e); }
    free(p);
    n = st_graph_path(&w, c, b, ST_REL_BIT(ST_REL_FEEDS), &p);   /* c e a b */
    T_EQ_INT(n, 4);
    if (n == 4 && p) {
        T_EQ_INT(p[0], c); T_EQ_INT(p[1], e); T_EQ_INT(p[2], a); T_EQ_INT(p[3], b);
    }
    free(p);
    st_walker_free(&w);
    fx_free(&f);
}

static void test_scc(void)
{
    /*
     * Two cycles, a → b → c → a and d → e → d, joined one way by c → d;
     * f loops on itself; g stands alone; h points into the first cycle;
     * e → i by depends_on only.
     */
    fixture f;
    fx_init(&f);
    enum { A, B, C, DD, E, F, G, H, I, N };
    static const char *const ids[N] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    for (int i = 0; i < N; i++) node(&f, ids[i], ST_KIND_WORKFLOW);
    st_graph *g = &f.g;
    st_graph_add_edge(g, A, B, ST_REL_FEEDS);
    st_graph_add_edge(g, B, C, ST_REL_FEEDS);
    st_graph_add_edge(g, C, A, ST_REL_FEEDS);
    st_graph_add_edge(g, C, DD, ST_REL_FEEDS);
    st_graph_add_edge(g, DD, E, ST_REL_FEEDS);
    st_graph_add_edge(g, E, DD, ST_REL_DEPENDS_ON);
    st_graph_add_edge(g, F, F, ST_REL_FEEDS);
    st_graph_add_edge(g, H, A, ST_REL_FEEDS);
    st_graph_add_edge(g, E, I, ST_REL_DEPENDS_ON);
    st_graph_add_edge(g, I, E, ST_REL_OWNER);
    st_graph_freeze(g);

    uint32_t comp[N];
    unsigned mask = ST_REL_BIT(ST_REL_FEEDS) | ST_REL_BIT(ST_REL_DEPENDS_ON);
    size_t nc = st_graph_scc(g, mask, comp);
    T_EQ_INT(nc, 6);     /* {a b c} {d e} {f} {g} {h} {i} */
    T_EQ_INT(comp[A], comp[B]);
    T_EQ_INT(comp[B], comp[C]);
    T_EQ_INT(comp[DD], comp[E]);
    T_CHECK(comp[A] != comp[DD]);
    T_CHECK(comp[F] != comp[A] && comp[F] != comp[DD]);
    T_CHECK(comp[G] != comp[A] && comp[G] != comp[DD] && comp[G] != comp[F]);
    T_CHECK(comp[H] != comp[A] && comp[H] != comp[DD] && comp[H] != comp[F] &&
            comp[H] != comp[G]);
    T_CHECK(comp[I] != comp[E] && comp[I] != comp[H] && comp[I] != comp[G] &&
            comp[I] != comp[F] && comp[I] != comp[A]);
    for (int i = 0; i < N; i++) T_CHECK(comp[i] < nc);
    /* Component numbers are dense: every number up to nc is used. */
    unsigned used = 0;
    for (int i = 0; i < N; i++) used |= 1u << comp[i];
    T_EQ_INT(used, (1u << nc) - 1);
    /* Feeds only: d and e fall apart (their back edge is depends_on). */
    nc = st_graph_scc(g, ST_REL_BIT(ST_REL_FEEDS), comp);
    T_EQ_INT(nc, 7);
    T_EQ_INT(comp[A], comp[C]);
    T_CHECK(comp[DD] != comp[E]);
    /* Every rel, owner included: i joins d and e. */
    nc = st_graph_scc(g, ST_REL_ALL, comp);
    T_EQ_INT(nc, 5);
    T_EQ_INT(comp[I], comp[E]);
    T_EQ_INT(comp[DD], comp[E]);
    /* No rel at all: every node alone, self-loop included. */
    nc = st_graph_scc(g, 0, comp);
    T_EQ_INT(nc, N);
    fx_free(&f);
}

#define CHAIN 100000

static void test_scc_long_chain(void)
{
    fixture f;
    fx_init(&f);
    char id[32];
    for (int i = 0; i < CHAIN; i++) {
        snprintf(id, sizeof id, "w%d", i);
        node(&f, id, ST_KIND_WORKFLOW);
    }
    /* Added back to front, so the sort in freeze has work to do. */
    for (int i = CHAIN - 2; i >= 0; i--)
        st_graph_add_edge(&f.g, (uint32_t)i, (uint32_t)i + 1, ST_REL_FEEDS);
    st_graph_freeze(&f.g);
    T_EQ_INT(f.g.nedges, CHAIN - 1);
    T_EQ_INT(find(&f, "w99999"), CHAIN - 1);

    uint32_t *comp = malloc(CHAIN * sizeof *comp);
    if (!comp) { T_FAILF("out of memory"); fx_free(&f); return; }
    size_t nc = st_graph_scc(&f.g, ST_REL_BIT(ST_REL_FEEDS), comp);
    T_EQ_INT(nc, CHAIN);
    /* A line has one component per node: all numbers distinct. */
    unsigned char *used = calloc(CHAIN, 1);
    int distinct = used != NULL;
    for (uint32_t i = 0; distinct && i < CHAIN; i++) {
        if (comp[i] >= CHAIN || used[comp[i]]) distinct = 0;
        else used[comp[i]] = 1;
    }
    free(used);
    T_CHECK(distinct);

    /* The walk and the path follow the whole line. */
    st_walker w;
    st_walker_init(&w, &f.g);
    uint32_t start = 0, *p = NULL;
    T_EQ_INT(st_graph_walk(&w, &start, 1, ST_REL_BIT(ST_REL_FEEDS), 0, -1), CHAIN);
    T_EQ_INT(w.dist[CHAIN - 1], CHAIN - 1);
    T_EQ_INT(w.queue[CHAIN - 1], CHAIN - 1);
    size_t n = st_graph_path(&w, 0, CHAIN - 1, ST_REL_BIT(ST_REL_FEEDS), &p);
    T_EQ_INT(n, CHAIN);
    if (n == CHAIN && p) {
        int inorder = 1;
        for (uint32_t i = 0; i < CHAIN; i++)
            if (p[i] != i) inorder = 0;
        T_CHECK(inorder);
    }
    free(p);
    st_walker_free(&w);
    st_graph_free(&f.g);

    /* Close the line into one long cycle: a single component, found
     * without recursion as deep as the cycle is long. */
    st_graph_init(&f.g, &f.doc);
    for (int i = 0; i < CHAIN; i++) {
        snprintf(id, sizeof id, "w%d", i);
        node(&f, id, ST_KIND_WORKFLOW);
    }
    for (int i = 0; i < CHAIN; i++)
        st_graph_add_edge(&f.g, (uint32_t)i, (uint32_t)((i + 1) % CHAIN),
                          ST_REL_FEEDS);
    st_graph_freeze(&f.g);
    nc = st_graph_scc(&f.g, ST_REL_BIT(ST_REL_FEEDS), comp);
    T_EQ_INT(nc, 1);
    int same = 1;
    for (uint32_t i = 0; i < CHAIN; i++)
        if (comp[i] != 0) same = 0;
    T_CHECK(same);
    free(comp);
    fx_free(&f);
}

static void test_empty_graph(void)
{
    fixture f;
    fx_init(&f);
    st_graph_freeze(&f.g);
    T_EQ_INT(f.g.nnodes, 0);
    T_EQ_INT(f.g.nedges, 0);
    T_EQ_INT(find(&f, "x"), ST_NODE_NONE);
    uint32_t comp[1];
    T_EQ_INT(st_graph_scc(&f.g, ST_REL_ALL, comp), 0);
    st_walker w;
    st_walker_init(&w, &f.g);
    T_EQ_INT(st_graph_walk(&w, NULL, 0, ST_REL_ALL, ST_REL_ALL, -1), 0);
    st_walker_free(&w);
    fx_free(&f);
}

T_SUITE(T_CASE(test_names), T_CASE(test_nodes_and_ids), T_CASE(test_many_atoms),
        T_CASE(test_duplicate_edges), T_CASE(test_rows), T_CASE(test_self_loop),
        T_CASE(test_walk_propagation), T_CASE(test_walk_depth_and_starts),
        T_CASE(test_walker_reuse), T_CASE(test_path), T_CASE(test_shortest_path),
        T_CASE(test_scc), T_CASE(test_scc_long_chain), T_CASE(test_empty_graph))
