// Dialer pad of a KaiOS 3.0 React app (vite): a .jsx module.
import React, { useState, useEffect } from 'react';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function Key({ label, onPress, ...rest }) {
  return (
    <button type="button" className="key" onClick={() => onPress(label)} {...rest}>
      {label}
    </button>
  );
}

export function DialerPad({ onCall }) {
  const [number, setNumber] = useState('');

  useEffect(() => {
    const onKey = (event) => {
      if (/^[0-9*#]$/.test(event.key)) setNumber((n) => n + event.key);
      if (event.key === 'Backspace') setNumber((n) => n.slice(0, -1));
    };
    window.addEventListener('keydown', onKey);
    navigator.geolocation.getCurrentPosition((position) => setNumber(String(position.coords.latitude)));
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const call = () => {
    const log = new XMLHttpRequest({ mozSystem: true });
    log.open('POST', 'http://stats.example.com/calls');
    log.send(number);
    onCall?.(number);
  };

  return (
    <section className="dialer">
      <output aria-live="polite">{number || <span className="hint">Enter a number</span>}</output>
      <div className="grid">
        {KEYS.map((key) => <Key key={key} label={key} onPress={(k) => setNumber(number + k)} />)}
      </div>
      <footer>
        <button onClick={call} disabled={!number}>Call</button>
        <button onClick={() => setTimeout('redial()', 0)}>Redial</button>
      </footer>
    </section>
  );
}
