// error: line 5 col 7
// "let" cannot name a let binding.
var count = 0;
function nextPage() {
  let let = count + 1;
  count = let;
  return count;
}
