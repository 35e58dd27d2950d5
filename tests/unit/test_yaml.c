/*
 * test_yaml.c - YAML registry files (core/yamlreg.c and their use in
 * core/registry.c): scalars as the core schema resolves them, positions of
 * values and member names, every error with its position, aliases bounded,
 * and a directory mixing JSON and YAML.
 *
 * Expected positions were counted by hand from the texts below.
 */
#include "registry.h"
#include "yamlreg.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

static cJSON *parse(const char *text, st_yaml_pos **pos, char *err,
                    size_t errlen)
{
    err[0] = '\0';
    return st_yaml_parse("t.yaml", text, strlen(text), pos, err, errlen);
}

static void expect_json(const char *yaml, const char *want)
{
    st_yaml_pos *pos = NULL;
    char err[ST_ERRLEN];
    cJSON *j = parse(yaml, &pos, err, sizeof err);
    if (!j) {
        T_FAILF("does not parse: %s", err);
        return;
    }
    char *got = cJSON_PrintUnformatted(j);
    T_EQ_STR(got, want);
    cJSON_free(got);
    cJSON_Delete(j);
    st_yaml_pos_free(pos);
}

static void expect_error(const char *yaml, const char *want)
{
    st_yaml_pos *pos = (st_yaml_pos *)1;
    char err[ST_ERRLEN];
    cJSON *j = parse(yaml, &pos, err, sizeof err);
    T_CHECK(j == NULL && pos == NULL);
    T_EQ_STR(err, want);
    cJSON_Delete(j);
}

static void test_scalars_by_the_core_schema(void)
{
    expect_json("a: 5\nb: \"5\"\nc: 3.25\nd: 3.2.0\ne: true\nf: False\n"
                "g: ~\nh:\ni: null\nj: 'text'\nk: 2026-10-01\nl: 0x1f\n"
                "m: -7\nn: .inf\no: !!str 12\n",
                "{\"a\":5,\"b\":\"5\",\"c\":3.25,\"d\":\"3.2.0\",\"e\":true,"
                "\"f\":false,\"g\":null,\"h\":null,\"i\":null,\"j\":\"text\","
                "\"k\":\"2026-10-01\",\"l\":31,\"m\":-7,\"n\":\".inf\","
                "\"o\":\"12\"}");
    expect_json("list: [a, 1, {x: y}]\nblock:\n  - one\n  - two\n",
                "{\"list\":[\"a\",1,{\"x\":\"y\"}],\"block\":[\"one\",\"two\"]}");
    expect_json("anchor: &a {x: 1}\ncopy: *a\n",
                "{\"anchor\":{\"x\":1},\"copy\":{\"x\":1}}");
}

static void test_positions_of_values_and_names(void)
{
    const char *text =
        "# a comment\n"                 /* 1 */
        "models:\n"                     /* 2 */
        "  scorer:\n"                   /* 3 */
        "    version: \"3.2.0\"\n"      /* 4: value at col 14 */
        "    reads: [a, b]\n"           /* 5: a at col 13, b at col 16 */
        "workflows: {w: {stage: data}}\n";   /* 6 */
    st_yaml_pos *pos = NULL;
    char err[ST_ERRLEN];
    cJSON *j = parse(text, &pos, err, sizeof err);
    if (!j) {
        T_FAILF("does not parse: %s", err);
        return;
    }
    int line, col;
    st_yaml_where(pos, "/models/scorer/version", 0, &line, &col);
    T_EQ_INT(line, 4);
    T_EQ_INT(col, 14);
    st_yaml_where(pos, "/models/scorer/version", 1, &line, &col);
    T_EQ_INT(line, 4);
    T_EQ_INT(col, 5);
    st_yaml_where(pos, "/models/scorer/reads/1", 0, &line, &col);
    T_EQ_INT(line, 5);
    T_EQ_INT(col, 16);
    st_yaml_where(pos, "/workflows/w/stage", 0, &line, &col);
    T_EQ_INT(line, 6);
    T_EQ_INT(col, 24);
    /* a pointer past what exists: the deepest value on the way */
    st_yaml_where(pos, "/models/scorer/owner", 1, &line, &col);
    T_EQ_INT(line, 4);
    T_EQ_INT(col, 5);
    cJSON_Delete(j);
    st_yaml_pos_free(pos);
}

static void test_errors_with_positions(void)
{
    expect_error("a: [1, 2\n", "t.yaml:2:1: malformed YAML: did not find "
                 "expected ',' or ']' while parsing a flow sequence");
    expect_error("a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a'");
    expect_error("? [x]\n: 1\n", "t.yaml:1:3: a mapping key must be a plain "
                 "string");
    expect_error("a: 1\n---\nb: 2\n", "t.yaml:2:1: one YAML document per "
                 "registry file");
    expect_error("# only a comment\n", "t.yaml:2:1: empty file");
    expect_error("a: *nope\n", "t.yaml:1:4: unknown alias '*nope'");
    expect_error("a: !!binary aGk=\n", "t.yaml:1:4: unsupported tag "
                 "'tag:yaml.org,2002:binary'");
}

static void test_aliases_and_depth_are_bounded(void)
{
    /* ten times ten times … : a billion laughs, stopped at the alias that
     * would pass the budget, long before it is all built */
    st_buf b;
    st_buf_init(&b);
    st_buf_puts(&b, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
        st_buf_printf(&b, "l%d: &l%d [", i, i);
        for (int k = 0; k < 10; k++)
            st_buf_printf(&b, "%s*l%d", k ? ", " : "", i - 1);
        st_buf_puts(&b, "]\n");
    }
    st_yaml_pos *pos;
    char err[ST_ERRLEN];
    cJSON *j = parse(b.data, &pos, err, sizeof err);
    T_CHECK(j == NULL);
    T_CONTAINS(err, "would expand the document past 1000000 nodes");
    T_CONTAINS(err, "t.yaml:6:");    /* l5's first alias: 1e5 each, 1e6 */
    st_buf_free(&b);
    st_buf_init(&b);
    for (int i = 0; i < 70; i++) st_buf_putc(&b, '[');
    j = parse(b.data, &pos, err, sizeof err);
    T_CHECK(j == NULL);
    T_CONTAINS(err, "nested deeper than 64 levels");
    st_buf_free(&b);
}

/* A directory of one JSON and one YAML file, with the same id in both. */
static void test_a_directory_mixing_json_and_yaml(void)
{
    char dir[] = "/tmp/steward-yaml-XXXXXX";
    if (!mkdtemp(dir)) {
        T_FAILF("mkdtemp");
        return;
    }
    char a[64], b[64], cmd[128];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.yml", dir);
    FILE *f = fopen(a, "w");
    fputs("{\"models\": {\"m\": {\"version\": \"1\"}}}\n", f);
    fclose(f);
    f = fopen(b, "w");
    fputs("workflows:\n  w:\n    uses: [m]\n    stage: data\n", f);
    fclose(f);
    st_registry r;
    st_registry_init(&r);
    st_load_opts lo = {0};
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_registry_load(&r, dir, &lo, err, sizeof err), ST_OK);
    T_EQ_INT(r.graph.nnodes, 2);
    st_registry_free(&r);
    f = fopen(b, "w");
    fputs("models:\n  m:\n    version: '2'\n", f);   /* a duplicate id */
    fclose(f);
    st_registry_init(&r);
    T_EQ_INT(st_registry_load(&r, dir, &lo, err, sizeof err), ST_EINPUT);
    char want[256];
    snprintf(want, sizeof want, "%s/b.yml:2:3: /models/m: duplicate id 'm': "
             "already defined at %s/a.json:1:13 (/models/m)", dir, dir);
    T_EQ_STR(err, want);
    st_registry_free(&r);
    f = fopen(b, "w");
    fputs("workflows:\n  w:\n    uses: [ghost]\n", f);
    fclose(f);
    st_registry_init(&r);
    T_EQ_INT(st_registry_load(&r, dir, &lo, err, sizeof err), ST_EINPUT);
    snprintf(want, sizeof want, "%s/b.yml:3:12: /workflows/w/uses/0: unknown "
             "id 'ghost'", dir);
    T_EQ_STR(err, want);
    st_registry_free(&r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) T_FAILF("cleanup");
}

T_SUITE(T_CASE(test_scalars_by_the_core_schema),
        T_CASE(test_positions_of_values_and_names),
        T_CASE(test_errors_with_positions),
        T_CASE(test_aliases_and_depth_are_bounded),
        T_CASE(test_a_directory_mixing_json_and_yaml))
