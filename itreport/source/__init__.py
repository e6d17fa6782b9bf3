"""Where data comes from: confined reads of the files a build is allowed to see."""
