/* Prints one line and exits: the smallest program the ELF loader can run. */
#include <stdio.h>

int main(void) {
    printf("Hello from hello-c on %s\n", "a static-PIE binary");
    return 0;
}
