// error: line 8 col 5
import { h } from 'preact';

export function Broken({ items }) {
  return (
    <ul class="list">
      {items.map((item) => <li key={item.id}>{item.name}</li>)}
    </div>
  );
}
