/* Runs a fuzz target over files and folders of inputs, so that seed
 * corpora and found crashes run as ordinary tests without libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  unsigned char *data = NULL;
  size_t len = 0, cap = 0, n;
  if (!f) {
    perror(path);
    return 1;
  }
  do {
    if (cap - len < 65536) {
      unsigned char *p = realloc(data, cap + 65536);
      if (!p) {
        fclose(f);
        free(data);
        return 1;
      }
      data = p;
      cap += 65536;
    }
    n = fread(data + len, 1, cap - len, f);
    len += n;
  } while (n > 0);
  fclose(f);
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  return 0;
}

static int run_path(const char *path, size_t *count)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    int rc = 0;
    if (!d) {
      perror(path);
      return 1;
    }
    while ((e = readdir(d)) != NULL) {
      char sub[4096];
      if (e->d_name[0] == '.')
        continue;
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      rc |= run_path(sub, count);
    }
    closedir(d);
    return rc;
  }
  (*count)++;
  return run_file(path);
}

int main(int argc, char **argv)
{
  size_t count = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++)
    rc |= run_path(argv[i], &count);
  printf("%zu inputs ran\n", count);
  return rc;
}
