/*
 * test_doc.c - the compact JSON store (core/doc.c): interned atoms, the
 * handle encoding of numbers (small non-negative integers in the handle,
 * every other number in the table), import from cJSON with its duplicate-key
 * check and pointer, lookups by key and index, readers given the wrong type,
 * absent members versus JSON null, export back to cJSON, and sizes large
 * enough to take the hash-set and rehash paths.
 *
 * Inline JSON texts are written with ' for " so they stay readable in C.
 */
#include "doc.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>

/* {=== Helpers ========================================================== */

static char *dq(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy)
        for (size_t i = 0; i < n; i++)
            copy[i] = text[i] == '\'' ? '"' : text[i];
    return copy;
}

static cJSON *parse(const char *text)
{
    char *json = dq(text);
    cJSON *j = json ? cJSON_Parse(json) : NULL;
    if (!j) T_FAILF("fixture does not parse: %s", text);
    free(json);
    return j;
}

/* Imports text into d; returns the root (ST_VAL_ABSENT when it failed). */
static st_val import_text(st_doc *d, const char *text)
{
    cJSON *j = parse(text);
    st_val v = ST_VAL_ABSENT;
    if (j) {
        st_buf where;
        st_buf_init(&where);
        int rc = st_doc_import(d, j, &v, &where);
        if (rc != ST_OK) {
            T_FAILF("import of %s failed at '%s'", text,
                    where.data ? where.data : "");
            v = ST_VAL_ABSENT;
        }
        st_buf_free(&where);
    }
    cJSON_Delete(j);
    return v;
}

/* Imports text expecting a duplicate key at pointer want. */
static void expect_duplicate(const char *text, const char *want)
{
    st_doc d;
    st_doc_init(&d);
    cJSON *j = parse(text);
    if (j) {
        st_val v = ST_VAL_ABSENT;
        st_buf where;
        st_buf_init(&where);
        T_EQ_INT(st_doc_import(&d, j, &v, &where), ST_EINPUT);
        T_EQ_STR(where.data, want);
        st_buf_free(&where);
        /* where may be NULL: the code alone */
        T_EQ_INT(st_doc_import(&d, j, &v, NULL), ST_EINPUT);
    }
    cJSON_Delete(j);
    st_doc_free(&d);
}

/* The text of a string value, or "(not a string)". */
static const char *str_of(const st_doc *d, st_val v)
{
    const char *s = st_doc_str(d, v, NULL);
    return s ? s : "(not a string)";
}

/* }=== */

/* {=== Atoms ============================================================ */

static void test_intern_gives_one_atom_per_string(void)
{
    st_doc d;
    st_doc_init(&d);
    /* nothing interned yet: find answers "none", even before a table */
    T_EQ_INT(st_doc_atom_find(&d, "a", 1), ST_ATOM_NONE);
    T_EQ_INT(st_doc_intern(&d, "alpha", 5), 0);
    T_EQ_INT(st_doc_intern(&d, "beta", 4), 1);
    T_EQ_INT(st_doc_intern(&d, "alpha", 5), 0);
    /* a prefix is another string; so is the empty string */
    T_EQ_INT(st_doc_intern(&d, "alpha", 3), 2);
    T_EQ_INT(st_doc_intern(&d, "", 0), 3);
    T_EQ_INT(d.natoms, 4);
    T_EQ_INT(st_doc_atom_find(&d, "beta", 4), 1);
    T_EQ_INT(st_doc_atom_find(&d, "alp", 3), 2);
    T_EQ_INT(st_doc_atom_find(&d, "", 0), 3);
    T_EQ_INT(st_doc_atom_find(&d, "gamma", 5), ST_ATOM_NONE);
    size_t len = 99;
    T_EQ_STR(st_doc_atom_str(&d, 0, &len), "alpha");
    T_EQ_INT(len, 5);
    T_EQ_STR(st_doc_atom_str(&d, 2, &len), "alp");
    T_EQ_INT(len, 3);
    T_EQ_STR(st_doc_atom_str(&d, 3, NULL), "");
    /* an atom that does not exist */
    len = 99;
    T_CHECK(st_doc_atom_str(&d, 4, &len) == NULL);
    T_EQ_INT(len, 0);
    T_CHECK(st_doc_atom_str(&d, ST_ATOM_NONE, NULL) == NULL);
    st_doc_free(&d);
    /* a freed doc is empty and usable again */
    T_EQ_INT(d.natoms, 0);
    T_EQ_INT(st_doc_atom_find(&d, "alpha", 5), ST_ATOM_NONE);
    T_EQ_INT(st_doc_intern(&d, "beta", 4), 0);
    st_doc_free(&d);
}

static void test_atoms_are_counted_bytes_not_c_strings(void)
{
    st_doc d;
    st_doc_init(&d);
    T_EQ_INT(st_doc_intern(&d, "a", 1), 0);
    /* "a\0b" is three bytes and not "a" */
    T_EQ_INT(st_doc_intern(&d, "a\0b", 3), 1);
    T_EQ_INT(st_doc_atom_find(&d, "a\0b", 3), 1);
    T_EQ_INT(st_doc_atom_find(&d, "a\0c", 3), ST_ATOM_NONE);
    size_t len;
    const char *s = st_doc_atom_str(&d, 1, &len);
    T_EQ_INT(len, 3);
    T_CHECK(s && memcmp(s, "a\0b", 4) == 0);     /* and NUL-terminated */
    st_doc_free(&d);
}

static void test_intern_survives_rehash(void)
{
    /* The table starts at 1024 slots and doubles when half full: 5000
     * strings take it through 1024 -> 2048 -> 4096 -> 8192 -> 16384. */
    st_doc d;
    st_doc_init(&d);
    char s[16];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(s, sizeof s, "id-%d", i);
        if (st_doc_intern(&d, s, (size_t)n) != (uint32_t)i) {
            T_FAILF("intern of %s is not atom %d", s, i);
            break;
        }
    }
    T_EQ_INT(d.natoms, 5000);
    T_EQ_INT(d.hash_cap, 16384);
    int wrong = 0;
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(s, sizeof s, "id-%d", i);
        if (st_doc_atom_find(&d, s, (size_t)n) != (uint32_t)i) wrong++;
        if (st_doc_intern(&d, s, (size_t)n) != (uint32_t)i) wrong++;
        const char *back = st_doc_atom_str(&d, (uint32_t)i, NULL);
        if (!back || strcmp(back, s)) wrong++;
    }
    T_EQ_INT(wrong, 0);
    T_EQ_INT(d.natoms, 5000);
    T_EQ_INT(st_doc_atom_find(&d, "id-5000", 7), ST_ATOM_NONE);
    st_doc_free(&d);
}

/* }=== */

/* {=== Numbers ========================================================== */

static void test_small_integers_live_in_the_handle(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val zero = st_doc_number(&d, 0), seven = st_doc_number(&d, 7);
    st_val top = st_doc_number(&d, (double)ST_VAL_MAX_IDX);
    T_EQ_INT(zero, ST_VAL_MAKE(ST_T_INT, 0));
    T_EQ_INT(seven, ST_VAL_MAKE(ST_T_INT, 7));
    T_EQ_INT(ST_VAL_TAG(top), ST_T_INT);
    T_EQ_INT(ST_VAL_IDX(top), 536870911);       /* 2^29 - 1 */
    T_EQ_INT(d.nnums, 0);                       /* no table entry */
    T_CHECK(st_doc_num(&d, seven) == 7.0);
    T_CHECK(st_doc_num(&d, top) == 536870911.0);
    T_CHECK(st_doc_is_num(zero) && st_doc_is_num(top));
    st_doc_free(&d);
}

static void test_other_numbers_go_to_the_table(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val big = st_doc_number(&d, 536870912.0);    /* 2^29: one too many */
    st_val neg = st_doc_number(&d, -1);
    st_val frac = st_doc_number(&d, 2.5);
    st_val mzero = st_doc_number(&d, -0.0);
    st_val huge = st_doc_number(&d, 1e300);
    T_EQ_INT(big, ST_VAL_MAKE(ST_T_NUM, 0));
    T_EQ_INT(neg, ST_VAL_MAKE(ST_T_NUM, 1));
    T_EQ_INT(frac, ST_VAL_MAKE(ST_T_NUM, 2));
    T_EQ_INT(mzero, ST_VAL_MAKE(ST_T_NUM, 3));  /* -0 keeps its sign */
    T_EQ_INT(huge, ST_VAL_MAKE(ST_T_NUM, 4));
    T_EQ_INT(d.nnums, 5);
    T_CHECK(st_doc_num(&d, big) == 536870912.0);
    T_CHECK(st_doc_num(&d, neg) == -1.0);
    T_CHECK(st_doc_num(&d, frac) == 2.5);
    T_CHECK(st_doc_num(&d, mzero) == 0.0 && signbit(st_doc_num(&d, mzero)));
    T_CHECK(st_doc_num(&d, huge) == 1e300);
    T_CHECK(st_doc_is_num(neg) && st_doc_is_num(frac));
    /* numbers are not interned: the same value twice is two entries */
    T_EQ_INT(st_doc_number(&d, 2.5), ST_VAL_MAKE(ST_T_NUM, 5));
    st_doc_free(&d);
}

static void test_import_numbers_ints_and_doubles(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val a = import_text(&d, "[0, 42, 536870911, 536870912, -3, 1.5, "
                               "-0, 1e3, 4294967296]");
    T_EQ_INT(st_doc_len(&d, a), 9);
    static const int tags[9] = {ST_T_INT, ST_T_INT, ST_T_INT, ST_T_NUM,
                                ST_T_NUM, ST_T_NUM, ST_T_NUM, ST_T_INT,
                                ST_T_NUM};
    static const double want[9] = {0, 42, 536870911.0, 536870912.0, -3, 1.5,
                                   0, 1000, 4294967296.0};
    for (uint32_t i = 0; i < 9; i++) {
        st_val v = st_doc_at(&d, a, i);
        if ((int)ST_VAL_TAG(v) != tags[i])
            T_FAILF("element %u has tag %u, expected %d", i, ST_VAL_TAG(v),
                    tags[i]);
        if (st_doc_num(&d, v) != want[i])
            T_FAILF("element %u is %g, expected %g", i, st_doc_num(&d, v),
                    want[i]);
    }
    T_CHECK(signbit(st_doc_num(&d, st_doc_at(&d, a, 6))));
    st_doc_free(&d);
}

/* }=== */

/* {=== Import and lookups =============================================== */

static void test_import_scalars(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val a = import_text(&d, "[null, true, false, 'x', '', 'x']");
    T_EQ_INT(ST_VAL_TAG(a), ST_T_ARR);
    T_EQ_INT(st_doc_len(&d, a), 6);
    T_EQ_INT(st_doc_at(&d, a, 0), ST_VAL_NULL);
    T_EQ_INT(st_doc_at(&d, a, 1), ST_VAL_MAKE(ST_T_TRUE, 0));
    T_EQ_INT(st_doc_at(&d, a, 2), ST_VAL_MAKE(ST_T_FALSE, 0));
    T_EQ_STR(str_of(&d, st_doc_at(&d, a, 3)), "x");
    size_t len = 99;
    T_EQ_STR(str_of(&d, st_doc_at(&d, a, 4)), "");
    T_CHECK(st_doc_str(&d, st_doc_at(&d, a, 4), &len) && len == 0);
    /* the same string twice is the same atom, hence the same handle */
    T_EQ_INT(st_doc_at(&d, a, 3), st_doc_at(&d, a, 5));
    T_EQ_INT(d.natoms, 2);                       /* "x" and "" */
    /* a scalar root */
    st_val s = import_text(&d, "'solo'");
    T_EQ_STR(str_of(&d, s), "solo");
    st_doc_free(&d);
}

static void test_objects_keep_order_and_look_up_by_key(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val o = import_text(&d, "{'zeta': 1, 'alpha': {'c': [1, 2, {'d': 'e'}]},"
                               " 'mid': 'text', 'nothing': null}");
    T_EQ_INT(ST_VAL_TAG(o), ST_T_OBJ);
    T_EQ_INT(st_doc_len(&d, o), 4);
    /* members in document order, not sorted */
    T_EQ_STR(st_doc_atom_str(&d, st_doc_key_at(&d, o, 0), NULL), "zeta");
    T_EQ_STR(st_doc_atom_str(&d, st_doc_key_at(&d, o, 1), NULL), "alpha");
    T_EQ_STR(st_doc_atom_str(&d, st_doc_key_at(&d, o, 2), NULL), "mid");
    T_EQ_STR(st_doc_atom_str(&d, st_doc_key_at(&d, o, 3), NULL), "nothing");
    T_EQ_INT(st_doc_val_at(&d, o, 0), ST_VAL_MAKE(ST_T_INT, 1));
    T_EQ_STR(str_of(&d, st_doc_val_at(&d, o, 2)), "text");
    /* by key: getk, and get with the atom */
    T_EQ_INT(st_doc_getk(&d, o, "zeta"), ST_VAL_MAKE(ST_T_INT, 1));
    T_EQ_STR(str_of(&d, st_doc_get(&d, o, st_doc_atom_find(&d, "mid", 3))),
             "text");
    /* nested: /alpha/c/2/d */
    st_val c = st_doc_getk(&d, st_doc_getk(&d, o, "alpha"), "c");
    T_EQ_INT(ST_VAL_TAG(c), ST_T_ARR);
    T_EQ_INT(st_doc_len(&d, c), 3);
    T_EQ_INT(st_doc_at(&d, c, 1), ST_VAL_MAKE(ST_T_INT, 2));
    T_EQ_STR(str_of(&d, st_doc_getk(&d, st_doc_at(&d, c, 2), "d")), "e");
    /* a member that is null is not an absent member */
    T_EQ_INT(st_doc_getk(&d, o, "nothing"), ST_VAL_NULL);
    T_CHECK(ST_VAL_NULL != ST_VAL_ABSENT);
    /* absent: a key never interned, and one interned elsewhere ("d") */
    T_EQ_INT(st_doc_getk(&d, o, "omega"), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_getk(&d, o, "d"), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_get(&d, o, ST_ATOM_NONE), ST_VAL_ABSENT);
    /* keys and string values share one atom table */
    T_EQ_INT(st_doc_str_atom(st_doc_getk(&d, o, "mid")),
             st_doc_atom_find(&d, "text", 4));
    st_doc_free(&d);
}

static void test_keys_and_values_share_atoms(void)
{
    st_doc d;
    st_doc_init(&d);
    uint32_t pre = st_doc_intern(&d, "same", 4);
    st_val o = import_text(&d, "{'x': 'same', 'y': 'same', 'same': 'x'}");
    T_EQ_INT(pre, 0);
    T_EQ_INT(st_doc_str_atom(st_doc_getk(&d, o, "x")), pre);
    T_EQ_INT(st_doc_str_atom(st_doc_getk(&d, o, "y")), pre);
    T_EQ_INT(st_doc_key_at(&d, o, 2), pre);
    T_EQ_INT(st_doc_str_atom(st_doc_getk(&d, o, "same")),
             st_doc_key_at(&d, o, 0));
    T_EQ_INT(d.natoms, 3);                       /* same, x, y */
    /* the builder interns too */
    T_EQ_INT(st_doc_string(&d, "y", 1), ST_VAL_MAKE(ST_T_STR, 2));
    T_EQ_INT(d.natoms, 3);
    st_doc_free(&d);
}

static void test_readers_answer_sensibly_for_the_wrong_type(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val o = import_text(&d, "{'s': 'str', 'n': 5, 'a': [1], 'o': {'k': 1}}");
    st_val s = st_doc_getk(&d, o, "s"), n = st_doc_getk(&d, o, "n");
    st_val a = st_doc_getk(&d, o, "a"), inner = st_doc_getk(&d, o, "o");
    size_t len = 99;
    T_CHECK(st_doc_str(&d, n, &len) == NULL);
    T_EQ_INT(len, 0);
    T_CHECK(st_doc_str(&d, ST_VAL_ABSENT, NULL) == NULL);
    T_EQ_INT(st_doc_str_atom(n), ST_ATOM_NONE);
    T_EQ_INT(st_doc_str_atom(a), ST_ATOM_NONE);
    T_CHECK(st_doc_num(&d, s) == 0.0);
    T_CHECK(st_doc_num(&d, ST_VAL_NULL) == 0.0);
    T_CHECK(!st_doc_is_num(s) && !st_doc_is_num(a) && !st_doc_is_num(ST_VAL_NULL));
    T_EQ_INT(st_doc_len(&d, s), 0);
    T_EQ_INT(st_doc_len(&d, n), 0);
    T_EQ_INT(st_doc_len(&d, ST_VAL_ABSENT), 0);
    /* an object is not an array, an array not an object */
    T_EQ_INT(st_doc_at(&d, inner, 0), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_getk(&d, a, "k"), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_key_at(&d, a, 0), ST_ATOM_NONE);
    T_EQ_INT(st_doc_val_at(&d, a, 0), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_getk(&d, s, "k"), ST_VAL_ABSENT);
    /* past the end */
    T_EQ_INT(st_doc_at(&d, a, 1), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_key_at(&d, inner, 1), ST_ATOM_NONE);
    T_EQ_INT(st_doc_val_at(&d, inner, 1), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_at(&d, a, UINT32_MAX), ST_VAL_ABSENT);
    st_doc_free(&d);
}

static void test_empty_containers(void)
{
    st_doc d;
    st_doc_init(&d);
    st_val o = import_text(&d, "{'e': {}, 'a': [], '': 'empty key'}");
    st_val e = st_doc_getk(&d, o, "e"), a = st_doc_getk(&d, o, "a");
    T_EQ_INT(ST_VAL_TAG(e), ST_T_OBJ);
    T_EQ_INT(ST_VAL_TAG(a), ST_T_ARR);
    T_EQ_INT(st_doc_len(&d, e), 0);
    T_EQ_INT(st_doc_len(&d, a), 0);
    T_EQ_INT(st_doc_at(&d, a, 0), ST_VAL_ABSENT);
    T_EQ_INT(st_doc_key_at(&d, e, 0), ST_ATOM_NONE);
    T_EQ_STR(str_of(&d, st_doc_getk(&d, o, "")), "empty key");
    /* two empty containers are distinct handles */
    T_CHECK(e != a);
    st_val root = import_text(&d, "{}");
    T_EQ_INT(st_doc_len(&d, root), 0);
    st_doc_free(&d);
}

/* }=== */

/* {=== Duplicate keys =================================================== */

static void test_duplicate_key_small_object(void)
{
    expect_duplicate("{'a': 1, 'a': 2}", "/a");
    expect_duplicate("{'a': 1, 'b': {'x': 1, 'y': 2, 'x': 3}}", "/b/x");
    /* the pointer escapes ~ and / and names array indices */
    expect_duplicate("{'a/b': {'m~n': [0, {'k': 1, 'k': 2}]}}",
                     "/a~1b/m~0n/1/k");
    expect_duplicate("[[], [0, 1, {'': 1, '': 2}]]", "/1/2/");
    /* the same key in sibling objects is no duplicate */
    st_doc d;
    st_doc_init(&d);
    st_val v = import_text(&d, "{'a': {'k': 1}, 'b': {'k': 2}, 'k': 3}");
    T_EQ_INT(st_doc_len(&d, v), 3);
    st_doc_free(&d);
}

/* Objects of more than 16 members check keys with a hash set. */
static void test_duplicate_key_large_object(void)
{
    st_buf text;
    st_buf_init(&text);
    st_buf_puts(&text, "{");
    for (int i = 0; i < 40; i++)
        st_buf_printf(&text, "%s'k%d': %d", i ? ", " : "", i, i);
    st_buf_puts(&text, "}");
    st_doc d;
    st_doc_init(&d);
    st_val v = import_text(&d, text.data);
    T_EQ_INT(st_doc_len(&d, v), 40);
    T_EQ_INT(st_doc_getk(&d, v, "k39"), ST_VAL_MAKE(ST_T_INT, 39));
    T_EQ_STR(st_doc_atom_str(&d, st_doc_key_at(&d, v, 17), NULL), "k17");
    st_doc_free(&d);
    /* k7 again as the 41st member, inside /outer */
    text.len--;
    st_buf_puts(&text, ", 'k7': 0}");
    st_buf wrapped;
    st_buf_init(&wrapped);
    st_buf_printf(&wrapped, "{'outer': %s}", text.data);
    expect_duplicate(wrapped.data, "/outer/k7");
    /* the empty key is atom 0 of a fresh doc: the set must still see it */
    st_buf_free(&text);
    st_buf_init(&text);
    st_buf_puts(&text, "{'': 0");
    for (int i = 0; i < 20; i++) st_buf_printf(&text, ", 'k%d': %d", i, i);
    st_buf_puts(&text, ", '': 1}");
    expect_duplicate(text.data, "/");
    st_buf_free(&text);
    st_buf_free(&wrapped);
}

/* }=== */

/* {=== Export =========================================================== */

static void expect_round_trip(const char *text, const char *compact)
{
    st_doc d;
    st_doc_init(&d);
    cJSON *j = parse(text);
    st_val v = ST_VAL_ABSENT;
    if (j && st_doc_import(&d, j, &v, NULL) == ST_OK) {
        cJSON *back = st_doc_export(&d, v);
        T_CHECK(cJSON_Compare(j, back, 1));
        char *printed = cJSON_PrintUnformatted(back);
        char *want = dq(compact);
        T_EQ_STR(printed, want);
        free(want);
        cJSON_free(printed);
        cJSON_Delete(back);
    } else {
        T_FAILF("could not import %s", text);
    }
    cJSON_Delete(j);
    st_doc_free(&d);
}

static void test_export_round_trip(void)
{
    expect_round_trip("{ 'b': 1, 'a': [true, false, null, 'x'], 'c': {} }",
                      "{'b':1,'a':[true,false,null,'x'],'c':{}}");
    expect_round_trip("[[], [[]], {'k': {'k': {'k': 'deep'}}}]",
                      "[[],[[]],{'k':{'k':{'k':'deep'}}}]");
    expect_round_trip("[0.5, -7, 536870912, 1e3]", "[0.5,-7,536870912,1000]");
    expect_round_trip("{'esc': 'a\\'b\\\\c\\n', 'uni': '\\u00e9'}",
                      "{'esc':'a\\'b\\\\c\\n','uni':'\xc3\xa9'}");
    expect_round_trip("'scalar'", "'scalar'");
    expect_round_trip("{'': ''}", "{'':''}");
}

static void test_export_of_built_and_absent_values(void)
{
    st_doc d;
    st_doc_init(&d);
    cJSON *x = st_doc_export(&d, ST_VAL_ABSENT);
    T_CHECK(cJSON_IsNull(x));
    cJSON_Delete(x);
    x = st_doc_export(&d, st_doc_number(&d, -0.0));
    T_CHECK(cJSON_IsNumber(x) && x->valuedouble == 0.0 && signbit(x->valuedouble));
    cJSON_Delete(x);
    x = st_doc_export(&d, st_doc_number(&d, 12));
    T_CHECK(cJSON_IsNumber(x) && x->valuedouble == 12.0);
    cJSON_Delete(x);
    x = st_doc_export(&d, st_doc_string(&d, "built", 5));
    T_CHECK(cJSON_IsString(x));
    T_EQ_STR(x->valuestring, "built");
    cJSON_Delete(x);
    /* an exported tree is independent of the doc */
    st_val o = import_text(&d, "{'k': ['v']}");
    x = st_doc_export(&d, o);
    st_doc_free(&d);
    const cJSON *v0 = cJSON_GetArrayItem(cJSON_GetObjectItem(x, "k"), 0);
    T_EQ_STR(cJSON_IsString(v0) ? v0->valuestring : NULL, "v");
    cJSON_Delete(x);
}

/* }=== */

/* {=== Large values ===================================================== */

static void test_large_values(void)
{
    st_doc d;
    st_doc_init(&d);
    /* an array of 100000 small integers: one slot each, no table entries */
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 100000; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(i * 3));
    st_val a;
    T_EQ_INT(st_doc_import(&d, arr, &a, NULL), ST_OK);
    T_EQ_INT(st_doc_len(&d, a), 100000);
    T_EQ_INT(d.nslots, 100001);
    T_EQ_INT(d.nnums, 0);
    T_CHECK(st_doc_num(&d, st_doc_at(&d, a, 0)) == 0.0);
    T_CHECK(st_doc_num(&d, st_doc_at(&d, a, 99999)) == 299997.0);
    T_EQ_INT(st_doc_at(&d, a, 100000), ST_VAL_ABSENT);
    cJSON_Delete(arr);
    /* an object of 3000 members: every key found */
    cJSON *obj = cJSON_CreateObject();
    char key[16];
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof key, "m%d", i);
        cJSON_AddItemToObject(obj, key, cJSON_CreateNumber(i));
    }
    st_val o;
    T_EQ_INT(st_doc_import(&d, obj, &o, NULL), ST_OK);
    T_EQ_INT(st_doc_len(&d, o), 3000);
    int wrong = 0;
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof key, "m%d", i);
        if (st_doc_getk(&d, o, key) != ST_VAL_MAKE(ST_T_INT, i)) wrong++;
    }
    T_EQ_INT(wrong, 0);
    cJSON_Delete(obj);
    /* a one-megabyte string */
    size_t n = 1u << 20;
    char *big = malloc(n + 1);
    if (big) {
        for (size_t i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
        big[n] = '\0';
        cJSON *s = cJSON_CreateString(big);
        st_val v;
        T_EQ_INT(st_doc_import(&d, s, &v, NULL), ST_OK);
        size_t len = 0;
        const char *back = st_doc_str(&d, v, &len);
        T_EQ_INT(len, n);
        T_CHECK(back && memcmp(back, big, n) == 0);
        cJSON *out = st_doc_export(&d, v);
        T_CHECK(cJSON_Compare(s, out, 1));
        cJSON_Delete(out);
        cJSON_Delete(s);
        free(big);
    }
    /* the store accounts at least for what it holds */
    T_CHECK(st_doc_bytes(&d) >= n + 4 * (size_t)d.nslots);
    st_doc_free(&d);
    T_EQ_INT(st_doc_bytes(&d), 0);
}

/* }=== */

T_SUITE(T_CASE(test_intern_gives_one_atom_per_string),
        T_CASE(test_atoms_are_counted_bytes_not_c_strings),
        T_CASE(test_intern_survives_rehash),
        T_CASE(test_small_integers_live_in_the_handle),
        T_CASE(test_other_numbers_go_to_the_table),
        T_CASE(test_import_numbers_ints_and_doubles),
        T_CASE(test_import_scalars),
        T_CASE(test_objects_keep_order_and_look_up_by_key),
        T_CASE(test_keys_and_values_share_atoms),
        T_CASE(test_readers_answer_sensibly_for_the_wrong_type),
        T_CASE(test_empty_containers),
        T_CASE(test_duplicate_key_small_object),
        T_CASE(test_duplicate_key_large_object),
        T_CASE(test_export_round_trip),
        T_CASE(test_export_of_built_and_absent_values),
        T_CASE(test_large_values))
