import { h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export default function FeedList({ items, focused, onOpen }) {
  const listRef = useRef(null);

  useEffect(() => {
    const el = listRef.current && listRef.current.children[focused];
    if (el) {
      el.scrollIntoView({ block: 'nearest' });
    }
  }, [focused]);

  if (!items.length) {
    return <div className="list"><div className="item">No articles yet</div></div>;
  }

  return (
    <div className="list" ref={listRef}>
      {items.map((item, i) => (
        <div
          key={item.link}
          className={`item${i === focused ? ' focused' : ''}`}
          onClick={() => onOpen(item)}
        >
          {item.title}
        </div>
      ))}
    </div>
  );
}
