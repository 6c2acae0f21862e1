const SERVER = 'https://contactvault.example.org/api/v1'

function readAllContacts () {
  return new Promise((resolve, reject) => {
    const contacts = []
    const cursor = navigator.mozContacts.getAll({ sortBy: 'familyName', sortOrder: 'ascending' })
    cursor.onsuccess = function () {
      if (this.result) {
        contacts.push(this.result)
        this.continue()
      } else {
        resolve(contacts)
      }
    }
    cursor.onerror = () => reject(cursor.error)
  })
}

function toVCard (c) {
  const tel = c.tel?.map(t => `TEL;TYPE=${t.type?.[0] ?? 'cell'}:${t.value}`) ?? []
  const email = c.email?.map(e => `EMAIL:${e.value}`) ?? []
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${c.name?.[0] ?? ''}`, ...tel, ...email, 'END:VCARD'].join('\r\n')
}

function upload (token, body) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest({ mozSystem: true })
    xhr.open('POST', `${SERVER}/backups`)
    xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', 'text/vcard')
    xhr.onload = () => (xhr.status < 300 ? resolve(JSON.parse(xhr.responseText)) : reject(new Error(xhr.status)))
    xhr.onerror = () => reject(new Error('network'))
    xhr.send(body)
  })
}

export async function backupNow (token) {
  const contacts = await readAllContacts()
  const vcf = contacts.map(toVCard).join('\r\n')
  const result = await upload(token, vcf)
  return { count: contacts.length, ...result }
}
