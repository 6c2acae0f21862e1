/** @jsx h */
// Contacts list of a KaiOS 2.5 Preact app (babel + webpack): JSX in a .js file.
import { h, Component, Fragment } from 'preact';
import { SoftKey } from './softkey';

const API = 'http://contacts.example.com/api';

export default class ContactsList extends Component {
  state = { contacts: [], selected: 0 };

  componentDidMount() {
    const request = navigator.mozContacts.find({ sortBy: 'givenName' });
    request.onsuccess = () => this.setState({ contacts: request.result || [] });
    fetch(API + '/favourites').then((r) => r.json()).then((favourites) => this.setState({ favourites }));
  }

  onKeyDown = (event) => {
    if (event.key === 'Call') {
      new MozActivity({ name: 'dial', data: { type: 'webtelephony/number', number: this.current().tel } });
    }
  };

  current() {
    return this.state.contacts[this.state.selected] || {};
  }

  render({ title }, { contacts, selected }) {
    return (
      <div class="contacts" onKeyDown={this.onKeyDown} tabIndex={0}>
        <h1>{title || 'Contacts 联系人'}</h1>
        {contacts.length === 0 ? (
          <p class="empty">No contacts</p>
        ) : (
          <ul>
            {contacts.map((contact, index) => (
              <li key={contact.id} class={index === selected ? 'focused' : ''} onClick={() => this.setState({ selected: index })}>
                {contact.name?.[0] ?? '(no name)'} <small>{contact.tel && contact.tel[0].value}</small>
              </li>
            ))}
          </ul>
        )}
        <>
          <SoftKey left="Search" center="Call" right={<span>Options</span>} onCenter={() => eval(this.props.onCall)} />
        </>
      </div>
    );
  }
}
