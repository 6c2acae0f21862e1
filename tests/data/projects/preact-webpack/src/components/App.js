import { h, Component } from 'preact';
import FeedList from './FeedList';
import Softkeys from './Softkeys';
import { fetchFeed } from '../utils/feed';
import { loadSettings, saveSettings } from '../utils/storage';

const DEFAULT_FEED = 'https://www.kaiostech.com/feed/';

export default class App extends Component {
  state = { items: [], focused: 0, loading: false, settings: loadSettings() };

  componentDidMount() {
    document.addEventListener('keydown', this.onKeyDown);
    this.refresh();
  }

  componentWillUnmount() {
    document.removeEventListener('keydown', this.onKeyDown);
  }

  refresh = async () => {
    const { settings } = this.state;
    this.setState({ loading: true });
    try {
      const items = await fetchFeed(settings.feedUrl || DEFAULT_FEED);
      this.setState({ items, focused: 0, loading: false });
      if (document.hidden && items.length) {
        new Notification('KaiRSS', { body: items[0].title });
      }
      saveSettings({ ...settings, lastRefresh: Date.now() });
    } catch (err) {
      console.error('refresh failed', err);
      this.setState({ loading: false });
    }
  };

  open = (item) => {
    // eslint-disable-next-line no-new, no-undef
    new MozActivity({ name: 'view', data: { type: 'url', url: item.link } });
  };

  onKeyDown = (evt) => {
    const { items, focused } = this.state;
    switch (evt.key) {
      case 'ArrowUp':
        this.setState({ focused: Math.max(0, focused - 1) });
        break;
      case 'ArrowDown':
        this.setState({ focused: Math.min(items.length - 1, focused + 1) });
        break;
      case 'Enter':
        if (items[focused]) this.open(items[focused]);
        break;
      case 'SoftLeft':
        this.refresh();
        break;
      case 'SoftRight':
      case 'Backspace':
        if (evt.key === 'Backspace') evt.preventDefault();
        window.close();
        break;
      default:
        break;
    }
  };

  render(props, { items, focused, loading }) {
    return (
      <div>
        <div className="header">{loading ? 'Loading…' : 'KaiRSS'}</div>
        <FeedList items={items} focused={focused} onOpen={this.open} />
        <Softkeys left="Refresh" center="Open" right="Exit" />
      </div>
    );
  }
}
