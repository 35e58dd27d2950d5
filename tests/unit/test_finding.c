/*
 * test_finding.c - findings (core/finding.c): severity, enforcement and
 * error-kind names and parsing; a list's add, deep copy and move with who
 * owns what; the report order (subject, policy, message, path, key); the
 * one blocking rule; finding identity (policy, subject, path, key, never the
 * message); and the identity's SHA-256 fingerprint.
 *
 * The expected fingerprints were computed outside steward with sha256sum
 * (the command is beside each constant), never copied from its output.
 */
#include "finding.h"
#include "t.h"

#include <ctype.h>
#include <stdlib.h>

/* {=== Helpers ========================================================== */

/* A finding on the stack for the functions that read one. */
static st_finding make(const char *policy, const char *subject,
                       const char *path, const char *key)
{
    st_finding f;
    memset(&f, 0, sizeof f);
    f.policy = (char *)policy;
    f.subject = (char *)subject;
    f.message = (char *)"message";
    f.path = (char *)path;
    f.key = (char *)key;
    f.severity = ST_SEV_HIGH;
    f.enforcement = ST_ENF_SOFT;
    return f;
}

static const char *fingerprint(const st_finding *f, char *out)
{
    st_finding_fingerprint(f, out);
    return out;
}

/* Appends a finding labelled by its evidence (a string), with a key. */
static void add(st_findings *l, const char *label, const char *subject,
                const char *policy, const char *message, const char *path,
                const char *key)
{
    st_finding *x = st_findings_add(l, policy, subject, ST_SEV_LOW,
                                    ST_ENF_SOFT, message, path,
                                    cJSON_CreateString(label));
    x->key = key ? strdup(key) : NULL;
}

/* The labels of a list, in order, as "A B C". */
static void labels(const st_findings *l, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "",
                                 cJSON_IsString(l->v[i].evidence) ?
                                 l->v[i].evidence->valuestring : "?");
}

/* }=== */

/* {=== Names ============================================================ */

static void test_severity_names_and_parsing(void)
{
    static const char *const names[] = {"info", "low", "medium", "high",
                                        "critical"};
    T_EQ_INT(ST_SEV_COUNT, 5);
    for (int i = 0; i < 5; i++) {
        T_EQ_STR(st_severity_name(i), names[i]);
        T_EQ_INT(st_severity_parse(names[i]), i);
    }
    /* ordered: a higher value is more severe */
    T_CHECK(ST_SEV_INFO < ST_SEV_LOW && ST_SEV_LOW < ST_SEV_MEDIUM &&
            ST_SEV_MEDIUM < ST_SEV_HIGH && ST_SEV_HIGH < ST_SEV_CRITICAL);
    T_EQ_STR(st_severity_name(-1), "?");
    T_EQ_STR(st_severity_name(ST_SEV_COUNT), "?");
    T_EQ_INT(st_severity_parse("High"), -1);     /* names are exact */
    T_EQ_INT(st_severity_parse("none"), -1);
    T_EQ_INT(st_severity_parse(""), -1);
    T_EQ_INT(st_severity_parse("hig"), -1);
    T_EQ_INT(st_severity_parse("highest"), -1);
}

static void test_enforcement_names_and_parsing(void)
{
    T_EQ_STR(st_enforcement_name(ST_ENF_ADVISORY), "advisory");
    T_EQ_STR(st_enforcement_name(ST_ENF_SOFT), "soft-mandatory");
    T_EQ_STR(st_enforcement_name(ST_ENF_HARD), "hard-mandatory");
    T_EQ_INT(st_enforcement_parse("advisory"), ST_ENF_ADVISORY);
    /* "mandatory" is the short spelling of soft-mandatory: it parses as
     * such and prints as the long name */
    T_EQ_INT(st_enforcement_parse("mandatory"), ST_ENF_SOFT);
    T_EQ_INT(st_enforcement_parse("soft-mandatory"), ST_ENF_SOFT);
    T_EQ_STR(st_enforcement_name(st_enforcement_parse("mandatory")),
             "soft-mandatory");
    T_EQ_INT(st_enforcement_parse("hard-mandatory"), ST_ENF_HARD);
    T_EQ_INT(st_enforcement_parse("hard"), -1);
    T_EQ_INT(st_enforcement_parse("soft"), -1);
    T_EQ_INT(st_enforcement_parse("Advisory"), -1);
    T_EQ_INT(st_enforcement_parse(""), -1);
}

static void test_error_kind_names(void)
{
    T_CHECK(st_errkind_name(ST_ERRK_NONE) == NULL);
    T_EQ_STR(st_errkind_name(ST_ERRK_RUNTIME), "runtime");
    T_EQ_STR(st_errkind_name(ST_ERRK_INSTRUCTIONS), "instructions");
    T_EQ_STR(st_errkind_name(ST_ERRK_MEMORY), "memory");
    T_EQ_STR(st_errkind_name(ST_ERRK_DEADLINE), "deadline");
    T_CHECK(st_errkind_name(ST_ERRK_DEADLINE + 1) == NULL);
    T_CHECK(st_errkind_name(-1) == NULL);
}

static void test_layer_names_and_parsing(void)
{
    T_CHECK(st_layer_name(ST_LAYER_NONE) == NULL);
    T_EQ_STR(st_layer_name(ST_LAYER_TECHNICAL), "technical");
    T_EQ_STR(st_layer_name(ST_LAYER_PROCESS), "process");
    T_EQ_STR(st_layer_name(ST_LAYER_GOVERNANCE), "governance");
    T_CHECK(st_layer_name(ST_LAYER_COUNT) == NULL);
    T_CHECK(st_layer_name(-1) == NULL);
    for (int l = ST_LAYER_TECHNICAL; l < ST_LAYER_COUNT; l++)
        T_EQ_INT(st_layer_parse(st_layer_name(l)), l);
    /* exact names only; "none" is not a layer a policy can declare */
    T_EQ_INT(st_layer_parse("none"), -1);
    T_EQ_INT(st_layer_parse("Technical"), -1);
    T_EQ_INT(st_layer_parse("tech"), -1);
    T_EQ_INT(st_layer_parse(""), -1);
}

/* }=== */

/* {=== Lists ============================================================ */

static void test_add_copies_strings_and_owns_evidence(void)
{
    st_findings l;
    st_findings_init(&l);
    T_EQ_INT(l.n, 0);
    T_CHECK(l.v == NULL);
    char policy[] = "p.one", subject[] = "wf", message[] = "bad", path[] = "/x";
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddNumberToObject(ev, "n", 3);
    st_finding *x = st_findings_add(&l, policy, subject, ST_SEV_MEDIUM,
                                    ST_ENF_HARD, message, path, ev);
    /* the caller's buffers may change: the list holds copies */
    policy[0] = subject[0] = message[0] = path[1] = 'Z';
    T_EQ_INT(l.n, 1);
    T_CHECK(x == &l.v[0]);
    T_EQ_STR(l.v[0].policy, "p.one");
    T_EQ_STR(l.v[0].subject, "wf");
    T_EQ_STR(l.v[0].message, "bad");
    T_EQ_STR(l.v[0].path, "/x");
    T_CHECK(l.v[0].evidence == ev);           /* taken, not copied */
    T_EQ_INT(l.v[0].severity, ST_SEV_MEDIUM);
    T_EQ_INT(l.v[0].enforcement, ST_ENF_HARD);
    T_EQ_INT(l.v[0].error, ST_ERRK_NONE);
    T_EQ_INT(l.v[0].layer, ST_LAYER_NONE);
    T_CHECK(l.v[0].waiver == NULL && l.v[0].key == NULL);
    /* NULL subject and message are empty strings; a NULL path stays NULL */
    st_findings_add(&l, "p.two", NULL, ST_SEV_INFO, ST_ENF_ADVISORY, NULL,
                    NULL, NULL);
    T_EQ_INT(l.n, 2);
    T_EQ_STR(l.v[1].subject, "");
    T_EQ_STR(l.v[1].message, "");
    T_CHECK(l.v[1].path == NULL && l.v[1].evidence == NULL);
    /* many adds grow the list; earlier findings survive the moves */
    for (int i = 0; i < 100; i++)
        st_findings_add(&l, "p.many", "s", ST_SEV_LOW, ST_ENF_SOFT, "m", NULL,
                        NULL);
    T_EQ_INT(l.n, 102);
    T_CHECK(l.cap >= 102);
    T_EQ_STR(l.v[0].policy, "p.one");
    T_EQ_INT(cJSON_GetObjectItem(l.v[0].evidence, "n")->valueint, 3);
    st_findings_free(&l);
    T_EQ_INT(l.n, 0);
    T_CHECK(l.v == NULL);
    st_findings_free(&l);                     /* twice is harmless */
}

static void test_copy_is_deep_and_appends(void)
{
    st_findings src, dst;
    st_findings_init(&src);
    st_findings_init(&dst);
    st_findings_add(&dst, "p.old", "s0", ST_SEV_LOW, ST_ENF_SOFT, "old", NULL,
                    NULL);
    st_finding *x = st_findings_add(&src, "p.a", "s1", ST_SEV_CRITICAL,
                                    ST_ENF_HARD, "msg", "/p",
                                    cJSON_CreateString("ev"));
    x->waiver = strdup("w1");
    x->key = strdup("k1");
    x->error = ST_ERRK_MEMORY;
    x->layer = ST_LAYER_PROCESS;
    st_findings_add(&src, "p.b", "s2", ST_SEV_INFO, ST_ENF_ADVISORY, "m2",
                    NULL, NULL);
    st_findings_copy(&dst, &src);
    T_EQ_INT(src.n, 2);
    cJSON *ev = src.v[0].evidence;
    char *waiver = src.v[0].waiver;
    T_EQ_INT(dst.n, 3);
    T_CHECK(dst.v[1].evidence != ev && dst.v[1].waiver != waiver);
    st_findings_free(&src);                   /* the copy stands alone */
    T_EQ_STR(dst.v[0].policy, "p.old");
    const st_finding *y = &dst.v[1];
    T_EQ_STR(y->policy, "p.a");
    T_EQ_STR(y->subject, "s1");
    T_EQ_STR(y->message, "msg");
    T_EQ_STR(y->path, "/p");
    T_EQ_INT(y->severity, ST_SEV_CRITICAL);
    T_EQ_INT(y->enforcement, ST_ENF_HARD);
    T_EQ_INT(y->error, ST_ERRK_MEMORY);
    T_EQ_INT(y->layer, ST_LAYER_PROCESS);
    T_EQ_STR(y->waiver, "w1");
    T_EQ_STR(y->key, "k1");
    T_CHECK(cJSON_IsString(y->evidence));
    T_EQ_STR(y->evidence->valuestring, "ev");
    const st_finding *z = &dst.v[2];
    T_EQ_STR(z->policy, "p.b");
    T_CHECK(z->path == NULL && z->evidence == NULL && z->waiver == NULL &&
            z->key == NULL);
    T_EQ_INT(z->enforcement, ST_ENF_ADVISORY);
    /* copying an empty list adds nothing */
    st_findings_copy(&dst, &src);
    T_EQ_INT(dst.n, 3);
    st_findings_free(&dst);
}

static void test_move_transfers_and_empties(void)
{
    st_findings a, b;
    st_findings_init(&a);
    st_findings_init(&b);
    add(&a, "A", "s", "p", "m", NULL, NULL);
    add(&b, "B", "s", "p", "m", NULL, NULL);
    add(&b, "C", "s", "p", "m", NULL, "k");
    cJSON *ev = b.v[1].evidence;
    st_findings_move(&a, &b);
    char got[64];
    labels(&a, got, sizeof got);
    T_EQ_STR(got, "A B C");
    T_CHECK(a.v[2].evidence == ev);          /* moved, not copied */
    T_EQ_STR(a.v[2].key, "k");
    T_EQ_INT(b.n, 0);
    T_CHECK(b.v == NULL && b.cap == 0);
    /* moving an empty list changes nothing; b is usable again */
    st_findings_move(&a, &b);
    T_EQ_INT(a.n, 3);
    add(&b, "D", "s", "p", "m", NULL, NULL);
    /* into an empty list */
    st_findings empty;
    st_findings_init(&empty);
    st_findings_move(&empty, &a);
    labels(&empty, got, sizeof got);
    T_EQ_STR(got, "A B C");
    T_EQ_INT(a.n, 0);
    st_findings_free(&empty);
    st_findings_free(&a);
    st_findings_free(&b);
}

/* }=== */

/* {=== Order ============================================================ */

static void test_sort_subject_policy_message_path_key(void)
{
    st_findings l;
    st_findings_init(&l);
    /* label, subject, policy, message, path, key */
    add(&l, "A", "s1", "p2", "m", NULL, NULL);
    add(&l, "B", "s0", "p9", "z", NULL, NULL);
    add(&l, "C", "s1", "p1", "z", NULL, NULL);
    add(&l, "D", "s1", "p2", "a", "/z", "z");
    add(&l, "E", "s1", "p2", "m", "/x", NULL);
    add(&l, "F", "s1", "p2", "m", "/x", "k");
    add(&l, "G", "s1", "p2", "m", "/w", "z");
    add(&l, "H", "", "p", "m", NULL, NULL);
    add(&l, "I", "S1", "p", "m", NULL, NULL);  /* 'S' sorts before 's' */
    add(&l, "J", "s1", "p2", "m", "/x", "j");
    st_findings_sort(&l);
    char got[64];
    labels(&l, got, sizeof got);
    /* subject: "" < "S1" < "s0" < "s1"; within s1, p1 before p2; within
     * p2, message "a" before "m"; within m, the NULL path (as "") before
     * "/w" before "/x"; within /x, the NULL key (as "") before "j", "k" */
    T_EQ_STR(got, "H I B C D A G E J F");
    /* sorting again changes nothing */
    st_findings_sort(&l);
    labels(&l, got, sizeof got);
    T_EQ_STR(got, "H I B C D A G E J F");
    st_findings_free(&l);
    /* nothing and one finding are sorted */
    st_findings_sort(&l);
    T_EQ_INT(l.n, 0);
    add(&l, "X", "s", "p", "m", NULL, NULL);
    st_findings_sort(&l);
    labels(&l, got, sizeof got);
    T_EQ_STR(got, "X");
    st_findings_free(&l);
}

/* }=== */

/* {=== The blocking rule ================================================ */

static void test_blocks_at_and_above_fail_on(void)
{
    st_finding f = make("p", "s", NULL, NULL);      /* high, soft */
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_INFO), 1);
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_MEDIUM), 1);  /* above */
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_HIGH), 1);    /* at */
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_CRITICAL), 0);    /* below */
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_COUNT), 0);   /* --fail-on none */
    f.severity = ST_SEV_CRITICAL;
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_CRITICAL), 1);
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_COUNT), 0);
    f.severity = ST_SEV_INFO;
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_INFO), 1);
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_LOW), 0);
}

static void test_blocks_only_when_mandatory_unwaived_and_ran(void)
{
    st_finding f = make("p", "s", NULL, NULL);
    f.severity = ST_SEV_CRITICAL;
    f.enforcement = ST_ENF_HARD;
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_HIGH), 1);
    f.enforcement = ST_ENF_ADVISORY;
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_INFO), 0);
    f.enforcement = ST_ENF_SOFT;
    f.waiver = (char *)"w1";
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_INFO), 0);
    f.waiver = NULL;
    /* a policy that failed to run is exit 3, not a blocking finding */
    for (int k = ST_ERRK_RUNTIME; k <= ST_ERRK_DEADLINE; k++) {
        f.error = (uint8_t)k;
        if (st_finding_blocks(&f, ST_SEV_INFO))
            T_FAILF("error kind %s blocks", st_errkind_name(k));
    }
    f.error = ST_ERRK_NONE;
    T_EQ_INT(st_finding_blocks(&f, ST_SEV_INFO), 1);
}

/* }=== */

/* {=== Identity ========================================================= */

static int sign(int c) { return (c > 0) - (c < 0); }

static void test_identity_ignores_the_message(void)
{
    st_finding a = make("p", "s", "/x", "k"), b = a;
    b.message = (char *)"a different message, 42 instead of 41";
    T_EQ_INT(st_finding_identity_cmp(&a, &b), 0);
    /* and what is not identity either: severity, enforcement, evidence,
     * waiver, error */
    b.severity = ST_SEV_LOW;
    b.enforcement = ST_ENF_ADVISORY;
    b.waiver = (char *)"w";
    b.error = ST_ERRK_RUNTIME;
    T_EQ_INT(st_finding_identity_cmp(&a, &b), 0);
    /* but the message does order reports */
    st_findings l;
    st_findings_init(&l);
    add(&l, "second", "s", "p", "zz", "/x", "k");
    add(&l, "first", "s", "p", "aa", "/x", "k");
    st_findings_sort(&l);
    char got[64];
    labels(&l, got, sizeof got);
    T_EQ_STR(got, "first second");
    st_findings_free(&l);
}

static void test_identity_is_policy_subject_path_key(void)
{
    st_finding base = make("p", "s", "/x", "k");
    st_finding x;
    x = base; x.policy = (char *)"q";
    T_EQ_INT(sign(st_finding_identity_cmp(&base, &x)), -1);
    T_EQ_INT(sign(st_finding_identity_cmp(&x, &base)), 1);
    x = base; x.subject = (char *)"r";
    T_EQ_INT(sign(st_finding_identity_cmp(&base, &x)), 1);
    x = base; x.path = (char *)"/y";
    T_EQ_INT(sign(st_finding_identity_cmp(&base, &x)), -1);
    x = base; x.key = (char *)"j";
    T_EQ_INT(sign(st_finding_identity_cmp(&base, &x)), 1);
    /* policy comes first, then subject, path, key: unlike the report
     * order, which starts with the subject */
    st_finding a = make("a", "z", "/z", "z"), b = make("b", "a", "/a", "a");
    T_EQ_INT(sign(st_finding_identity_cmp(&a, &b)), -1);
    a = make("p", "a", "/z", "z"); b = make("p", "b", "/a", "a");
    T_EQ_INT(sign(st_finding_identity_cmp(&a, &b)), -1);
    a = make("p", "s", "/a", "z"); b = make("p", "s", "/b", "a");
    T_EQ_INT(sign(st_finding_identity_cmp(&a, &b)), -1);
}

static void test_identity_null_path_and_key_are_empty(void)
{
    st_finding a = make("p", "s", NULL, NULL), b = make("p", "s", "", "");
    T_EQ_INT(st_finding_identity_cmp(&a, &b), 0);
    T_EQ_INT(st_finding_identity_cmp(&b, &a), 0);
    b.key = (char *)"k";
    T_EQ_INT(sign(st_finding_identity_cmp(&a, &b)), -1);
    b = make("p", "s", "/", NULL);
    T_EQ_INT(sign(st_finding_identity_cmp(&a, &b)), -1);
}

/* }=== */

/* {=== Fingerprint ====================================================== */

static void test_fingerprint_is_the_documented_hash(void)
{
    char fp[ST_FINGERPRINT_LEN + 1];
    T_EQ_INT(ST_FINGERPRINT_LEN, 32);
    /* printf 'a\0b\0c\0d\0' | sha256sum | cut -c1-32 */
    st_finding f = make("a", "b", "c", "d");
    T_EQ_STR(fingerprint(&f, fp), "5853dca2993b8cc094f73a74a962ee9c");
    /* printf 'p.x\0wf-1\0/workflows/wf-1/owner\0\0' | sha256sum */
    f = make("p.x", "wf-1", "/workflows/wf-1/owner", NULL);
    T_EQ_STR(fingerprint(&f, fp), "745a2352f55491990a4181b505eb8c63");
    /* printf '\0\0\0\0' | sha256sum */
    f = make("", "", NULL, NULL);
    T_EQ_STR(fingerprint(&f, fp), "df3f619804a92fdb4057192dc43dd748");
    T_EQ_INT(strlen(fp), 32);
    for (int i = 0; i < 32; i++)
        if (!isdigit((unsigned char)fp[i]) && !(fp[i] >= 'a' && fp[i] <= 'f'))
            T_FAILF("fingerprint character %d is '%c'", i, fp[i]);
}

static void test_fingerprint_follows_identity(void)
{
    char fp[ST_FINGERPRINT_LEN + 1];
    /* printf 'a\0b\0\0\0' | sha256sum: NULL and "" path and key alike */
    st_finding f = make("a", "b", NULL, NULL);
    T_EQ_STR(fingerprint(&f, fp), "f983ee64ffb77a348592423ece0b34eb");
    f = make("a", "b", "", "");
    T_EQ_STR(fingerprint(&f, fp), "f983ee64ffb77a348592423ece0b34eb");
    /* printf 'a\0b\0\0k\0' | sha256sum: a key and no path */
    f = make("a", "b", NULL, "k");
    T_EQ_STR(fingerprint(&f, fp), "27a8f0cac73ac82123af289a0cfa740e");
    /* printf 'a\0b\0c\0\0' | sha256sum */
    f = make("a", "b", "c", NULL);
    T_EQ_STR(fingerprint(&f, fp), "3732ad584e0be51a27b845d7ebffbfe4");
    /* printf 'a\0b\0cd\0\0' | sha256sum: the NULs keep the parts apart,
     * so path "cd" and no key is not path "c", key "d" */
    f = make("a", "b", "cd", NULL);
    T_EQ_STR(fingerprint(&f, fp), "0b4997095617b620c8dce1ee6d9e94ab");
    /* the message, severity, waiver and error are not part of it */
    f = make("a", "b", "c", "d");
    f.message = (char *)"other";
    f.severity = ST_SEV_INFO;
    f.enforcement = ST_ENF_ADVISORY;
    f.waiver = (char *)"w";
    f.error = ST_ERRK_DEADLINE;
    T_EQ_STR(fingerprint(&f, fp), "5853dca2993b8cc094f73a74a962ee9c");
}

/* }=== */

T_SUITE(T_CASE(test_severity_names_and_parsing),
        T_CASE(test_enforcement_names_and_parsing),
        T_CASE(test_error_kind_names),
        T_CASE(test_layer_names_and_parsing),
        T_CASE(test_add_copies_strings_and_owns_evidence),
        T_CASE(test_copy_is_deep_and_appends),
        T_CASE(test_move_transfers_and_empties),
        T_CASE(test_sort_subject_policy_message_path_key),
        T_CASE(test_blocks_at_and_above_fail_on),
        T_CASE(test_blocks_only_when_mandatory_unwaived_and_ran),
        T_CASE(test_identity_ignores_the_message),
        T_CASE(test_identity_is_policy_subject_path_key),
        T_CASE(test_identity_null_path_and_key_are_empty),
        T_CASE(test_fingerprint_is_the_documented_hash),
        T_CASE(test_fingerprint_follows_identity))
