/* jsonparse - the benchmark baseline: read and parse every *.json file of a
 * directory with cJSON, then free it. What `steward check` costs beyond
 * this is steward's own work. Usage: jsonparse DIR */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: jsonparse DIR\n");
    return 2;
  }
  DIR *d = opendir(argv[1]);
  if (!d) return 2;
  struct dirent *e;
  size_t files = 0, bytes = 0;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name), len;
    if (n < 5 || strcmp(e->d_name + n - 5, ".json")) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
    char *text = slurp(path, &len);
    if (!text) continue;
    cJSON *j = cJSON_ParseWithLength(text, len);
    cJSON_Delete(j);
    free(text);
    files++;
    bytes += len;
  }
  closedir(d);
  printf("%zu files, %zu bytes\n", files, bytes);
  return 0;
}
