// error: line 13 col 5
// Two default clauses in one switch.
document.addEventListener('keydown', function (e) {
  switch (e.key) {
    case 'SoftLeft':
      goBack();
      break;
    default:
      break;
    case 'Enter':
      select();
      break;
    default:
      console.log('unhandled key', e.key);
  }
});
