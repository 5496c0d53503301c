// Copies /etc/demo.txt to /tmp/copy.txt with sendfile(2) and exits 0; on a kernel without
// sendfile it says why and exits 1. A test program for the system-call traces of both sides.
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <unistd.h>

int main(void) {
  int in = open("/etc/demo.txt", O_RDONLY);
  int out = open("/tmp/copy.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0) {
    perror("open");
    return 2;
  }
  ssize_t n = sendfile(out, in, NULL, 4096);
  if (n < 0) {
    perror("sendfile");
    return 1;
  }
  printf("copied %zd bytes\n", n);
  return 0;
}
