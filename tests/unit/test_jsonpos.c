/*
 * test_jsonpos.c - where a JSON Pointer points in a text (core/jsonpos.c):
 * values and member names in nested objects and arrays, escaped keys in
 * the pointer (~0, ~1) and in the text (\", \/, \u escapes, surrogate
 * pairs), strings that hold brackets and backslashes, values spread over
 * lines, the last of repeated names, pointers that go further than the text,
 * a byte order mark, CRLF line ends, and st_json_where's FILE:LINE:COL.
 *
 * Every expected line and column was counted by hand from the fixture text
 * below, one line of the fixture per line of C, columns from 1.
 */
#include "jsonpos.h"
#include "util.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

/* Lines are numbered in the comments; columns count bytes. */
static const char DOC[] =
  "{\n"                                     /*  1 */
  "  \"a\": {\n"                            /*  2 */
  "    \"b\": [10, 20, {\"c\": true}],\n"   /*  3 */
  "    \"x~y\": 1,\n"                       /*  4 */
  "    \"p/q\": \"v\",\n"                   /*  5 */
  "    \"q\\\"uote\": 2,\n"                 /*  6  "q\"uote" */
  "    \"caf\\u00e9\": 3,\n"                /*  7  "caf\u00e9" */
  "    \"\\ud83d\\ude00\": 4\n"             /*  8  U+1F600 as a pair */
  "  },\n"                                  /*  9 */
  "  \"s\": \"line\\nstill one line\",\n"   /* 10 */
  "  \"long\": [\n"                         /* 11 */
  "    1,\n"                                /* 12 */
  "    \"two\\\\\",\n"                      /* 13  "two\\" */
  "    {\"k\": \"}]\"}\n"                   /* 14 */
  "  ],\n"                                  /* 15 */
  "  \"e\": {},\n"                          /* 16 */
  "\t\"last\": null\n"                      /* 17  a tab indents */
  "}\n";                                    /* 18 */

enum { MODE_VALUE, MODE_KEY, MODE_DUP };

/* "LINE:COL" of pointer in text, and whether it was found. */
static int where(const char *text, size_t len, const char *pointer, int mode,
                 char *out, size_t outlen)
{
    size_t off = (size_t)-1;
    int found = mode == MODE_KEY ? st_json_locate_key(text, len, pointer, &off) :
                mode == MODE_DUP ? st_json_locate_dup(text, len, pointer, &off) :
                st_json_locate(text, len, pointer, &off);
    if (off > len) {
        snprintf(out, outlen, "offset %zu past the end", off);
        return found;
    }
    int line, col;
    st_line_col(text, len, off, &line, &col);
    snprintf(out, outlen, "%d:%d", line, col);
    return found;
}

#define T_AT(text, pointer, mode, want_found, want) do { \
    char t_got_[64]; \
    int t_found_ = where(text, sizeof text - 1, pointer, mode, t_got_, \
                         sizeof t_got_); \
    if (t_found_ != (want_found)) \
        T_FAILF("%s: found == %d, expected %d", pointer, t_found_, \
                (want_found)); \
    if (strcmp(t_got_, want)) \
        T_FAILF("%s is at %s, expected %s", pointer, t_got_, want); \
} while (0)

#define T_VALUE(pointer, want) T_AT(DOC, pointer, MODE_VALUE, 1, want)
#define T_KEY(pointer, want) T_AT(DOC, pointer, MODE_KEY, 1, want)
#define T_MISSING(pointer, want) T_AT(DOC, pointer, MODE_VALUE, 0, want)

/* {=== Found ============================================================ */

static void test_root_and_top_level_members(void)
{
    T_VALUE("", "1:1");
    T_VALUE("/a", "2:8");
    T_KEY("/a", "2:3");
    T_VALUE("/s", "10:8");
    T_VALUE("/e", "16:8");
    T_VALUE("/last", "17:10");
    T_KEY("/last", "17:2");
    /* the empty pointer has no member name: the key is the root too */
    T_KEY("", "1:1");
}

static void test_nested_objects_and_arrays(void)
{
    T_VALUE("/a/b", "3:10");
    T_KEY("/a/b", "3:5");
    T_VALUE("/a/b/0", "3:11");
    T_VALUE("/a/b/1", "3:15");
    T_VALUE("/a/b/2", "3:19");
    T_VALUE("/a/b/2/c", "3:25");
    T_KEY("/a/b/2/c", "3:20");
    /* an array element has no name: at_key points at the element */
    T_KEY("/a/b/1", "3:15");
}

static void test_escaped_keys_in_the_pointer(void)
{
    T_VALUE("/a/x~0y", "4:12");          /* ~0 is ~ */
    T_KEY("/a/x~0y", "4:5");
    T_VALUE("/a/p~1q", "5:12");          /* ~1 is / */
    /* unescaped, a / separates tokens: /a/p does not exist */
    T_MISSING("/a/p/q", "2:8");
}

static void test_escapes_in_the_text(void)
{
    T_VALUE("/a/q\"uote", "6:16");       /* \" in the name */
    T_KEY("/a/q\"uote", "6:5");
    T_VALUE("/a/caf\xc3\xa9", "7:18");   /* \u00e9 is UTF-8 c3 a9 */
    T_VALUE("/a/\xf0\x9f\x98\x80", "8:21");   /* a surrogate pair */
    T_KEY("/a/\xf0\x9f\x98\x80", "8:5");
    /* the escape itself is not the name */
    T_MISSING("/a/caf\\u00e9", "2:8");
}

static void test_small_escape_texts(void)
{
    /* offsets  0         1         2
     *          0123456789012345678901234 */
    static const char T1[] = "{\"~1\": 1, \"/\": 2, \"~\": 3}";
    T_AT(T1, "/~01", MODE_VALUE, 1, "1:8");     /* the key "~1" */
    T_AT(T1, "/~1", MODE_VALUE, 1, "1:16");     /* the key "/" */
    T_AT(T1, "/~1", MODE_KEY, 1, "1:11");
    T_AT(T1, "/~0", MODE_VALUE, 1, "1:24");     /* the key "~" */
    /* \/ and \u0062 spell / and b; "ab" is not "a" */
    static const char T2[] = "{\"ab\": 0, \"\\u0062\": 1, \"\\/\": 2, \"a\": 3}";
    /* offsets: "\u0062"'s value at 20, "\/"'s at 29, "a"'s at 37 */
    T_AT(T2, "/b", MODE_VALUE, 1, "1:21");
    T_AT(T2, "/~1", MODE_VALUE, 1, "1:30");
    T_AT(T2, "/a", MODE_VALUE, 1, "1:38");
    T_AT(T2, "/ab", MODE_VALUE, 1, "1:8");
    /* the empty key, and a key that decodes to a NUL byte, which no
     * pointer (a C string) can name */
    static const char T3[] = "{\"\\u0000\": 0, \"\": 1}";
    /* offsets: the value of "" at 18 */
    T_AT(T3, "/", MODE_VALUE, 1, "1:19");
    /* \t and \n in a name decode to the control characters */
    static const char T4[] = "{\"a\\tb\": 1, \"c\\nd\": 2}";
    /* offsets: the 1 at 9, the 2 at 20 */
    T_AT(T4, "/a\tb", MODE_VALUE, 1, "1:10");
    T_AT(T4, "/c\nd", MODE_VALUE, 1, "1:21");
    T_AT(T4, "/atb", MODE_VALUE, 0, "1:1");
}

static void test_strings_that_look_like_structure(void)
{
    /* "two\\" ends at the quote after its escaped backslash; "}]" is
     * text, not the end of the array */
    T_VALUE("/long", "11:11");
    T_VALUE("/long/0", "12:5");
    T_VALUE("/long/1", "13:5");
    T_VALUE("/long/2", "14:5");
    T_VALUE("/long/2/k", "14:11");
    /* and the members after them are still found */
    T_VALUE("/e", "16:8");
    T_VALUE("/last", "17:10");
    /* a string with a raw line break (cJSON lets it through): the break
     * counts as a line, as an editor shows it */
    static const char RAW[] = "{\"m\": \"two\nlines\", \"n\": 1}";
    T_AT(RAW, "/n", MODE_VALUE, 1, "2:14");
    T_AT(RAW, "/n", MODE_KEY, 1, "2:9");
    T_AT(RAW, "/m", MODE_VALUE, 1, "1:7");
}

/* }=== */

/* {=== Not found ======================================================== */

static void test_missing_members_point_at_the_deepest_value(void)
{
    T_MISSING("/nope", "1:1");
    T_MISSING("/nope/deeper", "1:1");
    T_MISSING("/a/nope", "2:8");
    T_MISSING("/e/x", "16:8");
    T_MISSING("/a/b/2/d", "3:19");
    /* at_key of a missing member: the deepest value as well */
    T_AT(DOC, "/a/nope", MODE_KEY, 0, "2:8");
}

static void test_missing_elements(void)
{
    T_MISSING("/a/b/3", "3:10");         /* three elements: 0, 1, 2 */
    T_MISSING("/a/b/-", "3:10");         /* "-" is past the end */
    T_MISSING("/a/b/x", "3:10");
    T_MISSING("/a/b/", "3:10");
    T_MISSING("/a/b/-1", "3:10");
    T_MISSING("/e/0", "16:8");
    /* into a scalar: the scalar */
    T_MISSING("/a/b/0/x", "3:11");
    T_MISSING("/s/0", "10:8");
    T_MISSING("/last/x", "17:10");
    static const char EMPTY[] = "{\"a\": [ ]}";
    T_AT(EMPTY, "/a/0", MODE_VALUE, 0, "1:7");
}

/* }=== */

/* {=== Repeated names =================================================== */

static void test_repeated_names(void)
{
    static const char T[] =
        "{\"d\": 1,\n"                       /* 1 */
        " \"o\": {\"d\": 2, \"x\": 0, \"d\": 3},\n"   /* 2 */
        " \"d\": 4}\n";                      /* 3 */
    /* value and key: the first; dup: the last */
    T_AT(T, "/d", MODE_VALUE, 1, "1:7");
    T_AT(T, "/d", MODE_KEY, 1, "1:2");
    T_AT(T, "/d", MODE_DUP, 1, "3:2");
    /* 2: col 8 "d", 13 the 2, 16 "x", 24 the second "d", 29 the 3 */
    T_AT(T, "/o/d", MODE_VALUE, 1, "2:13");
    T_AT(T, "/o/d", MODE_DUP, 1, "2:24");
    T_AT(T, "/o/x", MODE_DUP, 1, "2:16");     /* once: that one */
    T_AT(T, "/o/nope", MODE_DUP, 0, "2:7");
}

/* }=== */

/* {=== Byte order mark and line ends ==================================== */

static void test_byte_order_mark(void)
{
    /* 3 bytes of BOM, then the document: offsets count them */
    static const char T[] = "\xEF\xBB\xBF{\"a\": [1, 2]}";
    /* offsets: '{' 3, '"' 4, '[' 9, 1 at 10, 2 at 13 */
    size_t off = 0;
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "", &off), 1);
    T_EQ_INT(off, 3);
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "/a", &off), 1);
    T_EQ_INT(off, 9);
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "/a/1", &off), 1);
    T_EQ_INT(off, 13);
    T_EQ_INT(st_json_locate_key(T, sizeof T - 1, "/a", &off), 1);
    T_EQ_INT(off, 4);
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "/b", &off), 0);
    T_EQ_INT(off, 3);
    /* half a BOM is not one: the scan finds no document */
    static const char H[] = "\xEF\xBB{\"a\": 1}";
    T_EQ_INT(st_json_locate(H, sizeof H - 1, "/a", &off), 0);
    T_EQ_INT(off, 0);
}

static void test_crlf_and_leading_space(void)
{
    static const char T[] =
        "\r\n"                       /* 1: offsets 0-1 */
        "  {\r\n"                    /* 2: 2-6, '{' at 4 */
        "  \"a\": [\r\n"             /* 3: 7-16, '"' at 9, '[' at 14 */
        "    1,\r\n"                 /* 4: 17-24, '1' at 21 */
        "    2\r\n"                  /* 5: 25-31, '2' at 29 */
        "  ]\r\n"
        "}\r\n";
    size_t off = 0;
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "", &off), 1);
    T_EQ_INT(off, 4);
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "/a", &off), 1);
    T_EQ_INT(off, 14);
    T_EQ_INT(st_json_locate_key(T, sizeof T - 1, "/a", &off), 1);
    T_EQ_INT(off, 9);
    T_EQ_INT(st_json_locate(T, sizeof T - 1, "/a/1", &off), 1);
    T_EQ_INT(off, 29);
    /* a CR before the LF does not shift the next line's columns */
    T_AT(T, "/a/1", MODE_VALUE, 1, "5:5");
    T_AT(T, "/a", MODE_KEY, 1, "3:3");
}

static void test_empty_and_truncated_text(void)
{
    size_t off = 99;
    T_EQ_INT(st_json_locate("", 0, "/a", &off), 0);
    T_EQ_INT(off, 0);
    /* len, not the NUL, ends the text: "{\"a\": 1}" cut after the colon */
    static const char T[] = "{\"a\": 1}";
    T_EQ_INT(st_json_locate(T, 5, "/a", &off), 1);
    T_EQ_INT(off, 5);                /* the end: no value in view */
    T_EQ_INT(st_json_locate(T, 3, "/a", &off), 0);
    T_EQ_INT(off, 0);
    /* an unterminated document ends the scan, not the process */
    static const char U[] = "{\"a\": [1, {\"b\": \"unterminated";
    T_EQ_INT(st_json_locate(U, sizeof U - 1, "/a/1/c", &off), 0);
    T_EQ_INT(off, 10);
    T_EQ_INT(st_json_locate(U, sizeof U - 1, "/z", &off), 0);
    T_EQ_INT(off, 0);
}

/* }=== */

/* {=== st_json_where ==================================================== */

static void test_where_names_file_line_col(void)
{
    char path[] = "/tmp/steward-jsonpos-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        T_FAILF("mkstemp failed");
        return;
    }
    if (write(fd, DOC, sizeof DOC - 1) != (ssize_t)(sizeof DOC - 1))
        T_FAILF("short write");
    close(fd);
    char out[256], want[256];
    st_json_where(path, "/a/b/2/c", ST_AT_VALUE, out, sizeof out);
    snprintf(want, sizeof want, "%s:3:25", path);
    T_EQ_STR(out, want);
    st_json_where(path, "/a/b/2/c", ST_AT_KEY, out, sizeof out);
    snprintf(want, sizeof want, "%s:3:20", path);
    T_EQ_STR(out, want);
    st_json_where(path, "/long/2/k", ST_AT_DUP, out, sizeof out);
    snprintf(want, sizeof want, "%s:14:6", path);
    T_EQ_STR(out, want);
    st_json_where(path, "/a/nope", ST_AT_VALUE, out, sizeof out);
    snprintf(want, sizeof want, "%s:2:8", path);
    T_EQ_STR(out, want);
    /* a short buffer is truncated, NUL-terminated */
    char small[8];
    st_json_where(path, "/a", ST_AT_VALUE, small, sizeof small);
    T_EQ_INT(strlen(small), 7);
    T_CHECK(!strncmp(small, path, 7));
    unlink(path);
    /* a file that cannot be read: just its name */
    st_json_where(path, "/a", ST_AT_VALUE, out, sizeof out);
    T_EQ_STR(out, path);
}

/* }=== */

T_SUITE(T_CASE(test_root_and_top_level_members),
        T_CASE(test_nested_objects_and_arrays),
        T_CASE(test_escaped_keys_in_the_pointer),
        T_CASE(test_escapes_in_the_text),
        T_CASE(test_small_escape_texts),
        T_CASE(test_strings_that_look_like_structure),
        T_CASE(test_missing_members_point_at_the_deepest_value),
        T_CASE(test_missing_elements),
        T_CASE(test_repeated_names),
        T_CASE(test_byte_order_mark),
        T_CASE(test_crlf_and_leading_space),
        T_CASE(test_empty_and_truncated_text),
        T_CASE(test_where_names_file_line_col))
