// Command commonplace runs a Commonplace node and administers its data folder.
package main

import "os"

func main() { os.Exit(run(os.Args[1:])) }
