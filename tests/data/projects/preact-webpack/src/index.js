import 'regenerator-runtime/runtime';
import { h, render } from 'preact';
import App from './components/App';
import './style.css';

render(<App />, document.getElementById('root'));
