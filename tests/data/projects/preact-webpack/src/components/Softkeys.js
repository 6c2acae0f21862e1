import { h } from 'preact';

export default function Softkeys({ left = '', center = '', right = '' }) {
  return (
    <div className="softkeys">
      <div className="left">{left}</div>
      <div className="center">{center}</div>
      <div className="right">{right}</div>
    </div>
  );
}
